export {
  type CheckInPlans,
  CheckInPolicy,
  type CheckInPolicyInput,
  type PlanCheckInsOptions,
  planCheckIns,
  type SkippedCheckIn,
} from './planCheckIns.js';
export { type OutreachPlan, OutreachPolicy, type OutreachPolicyInput, planOutreach } from './planOutreach.js';
