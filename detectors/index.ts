import type { Detector } from '../src/core/detector.ts';
import { npmDetectors } from './npm.ts';

/** Every built-in detector, in one explicit list (no registration by import side effects). */
export const detectors: readonly Detector[] = [...npmDetectors];
