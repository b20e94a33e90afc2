import 'reflect-metadata';
import { main } from '@aicrn/nest-platform';
import { InferenceModule } from './inference.module';

void main('inference', () => [InferenceModule]);
