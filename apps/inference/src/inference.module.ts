import { Module } from '@nestjs/common';
import { InferenceService } from './inference.service';
import { measurementMethodsProvider } from './measurement-methods.provider';

@Module({ providers: [measurementMethodsProvider, InferenceService] })
export class InferenceModule {}
