// The smoke-test Lambda of the ECS test gate: its entry point and the configuration it reads.
export { handler, runSmokeTest, probe, configKey, stateKey, configVariable, bodyLimitBytes } from "./handler";
export type { CheckResult, HookResponse } from "./handler";
export { smokeTestConfigProblems, resolveSmokeTest } from "./config";
export type { ResolvedSmokeTest, SmokeCheck, SmokeTestConfig } from "./config";
