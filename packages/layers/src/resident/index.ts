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
export type { UnitSplitShape } from './unit-split-plan.js';
export {
  UNIT_BLOCK,
  UNIT_SPLIT_MAX_DECODED_BYTES,
  unitRange,
  unitSplitShape,
} from './unit-split-plan.js';
export type { UnitSplitOptions } from './unit-split-step.js';
export { UnitSplitStep } from './unit-split-step.js';
