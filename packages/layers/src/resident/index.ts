export { planResidentStep, RESIDENT_ACTIVATIONS, residentPlanReason } from './plan.js';
export type {
  PlannedLoss,
  PlannedMetric,
  PlannedOp,
  PlanOutcome,
  ResidentPlan,
  TargetKind,
} from './plan-types.js';
export type {
  CompressedInput,
  ForwardBackwardArgs,
  ResidentEvaluateArgs,
  ResidentInput,
  ResidentStepOptions,
} from './resident-options.js';
export { ResidentStep } from './resident-step.js';
