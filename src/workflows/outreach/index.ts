export { type OutreachPlan, OutreachPolicy, type OutreachPolicyInput, planOutreach } from './planOutreach.js';
