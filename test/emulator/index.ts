// The emulator of Tencent Cloud IM's REST API: the stand-in for Tencent in every test, benchmark and demo.
// Harness API below; semantics and error codes in README.md.

export type {
  ApiCounters, ApiName, AppSpec, Churn, EmulatedGroup, EmulatedPeople, Emulator, EmulatorCounters, EmulatorFaults, EmulatorOptions, FaultKind, GroupSpec, SeqState,
} from './types';
export { startEmulator } from './server';
export { demoApps, DEMO_ADMIN, DEMO_SDKAPPID, DEMO_SECRET_KEY } from './demo';
