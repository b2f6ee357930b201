// The LEQL front end: parse, format, plan, and evaluate predicates in JavaScript.
export type * from "./ast.js";
export { withoutPositions, regexFields } from "./ast.js";
export { parse } from "./parser.js";
export { format, formatExpr } from "./format.js";
export { planQuery, planWhere, planParsed, toPredicate } from "./plan.js";
export type { QueryPlan, StatsPlan, RegexExtractor, PlannedField } from "./plan.js";
export { matchesEvent, containsWord, fieldValues } from "./match.js";
export type { MatchableEvent } from "./match.js";
