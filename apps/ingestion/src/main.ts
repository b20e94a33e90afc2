import 'reflect-metadata';
import { main } from '@aicrn/nest-platform';
import { IngestionModule } from './ingestion.module';

void main('ingestion', () => [IngestionModule]);
