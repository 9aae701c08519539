export type {
  PlannedLoss,
  PlannedMetric,
  PlannedOp,
  PlanOutcome,
  ResidentPlan,
  TargetKind,
} from './plan.js';
export { planResidentStep, RESIDENT_ACTIVATIONS, residentPlanReason } from './plan.js';
export type {
  CompressedInput,
  ForwardBackwardArgs,
  ResidentEvaluateArgs,
  ResidentInput,
  ResidentStepOptions,
} from './resident-step.js';
export { ResidentStep } from './resident-step.js';
