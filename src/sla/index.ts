/**
 * @module sla
 */
export {};
