import 'reflect-metadata';
import { main } from '@aicrn/nest-platform';
import { AlertingModule } from './alerting.module';

void main('alerting', () => [AlertingModule]);
