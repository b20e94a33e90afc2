import 'reflect-metadata';
import { main } from '@aicrn/nest-platform';
import { embeddedFeatures } from './embedded.features';

void main('embedded', embeddedFeatures);
