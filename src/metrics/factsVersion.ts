/**
 * The version of the facts `ticketFacts` makes. Calculators check it at the boundary
 * (`invalid_facts` otherwise): facts written by hand, or stored by an older carekit whose fields
 * meant something else, are refused instead of silently misread.
 */
export const TICKET_FACTS_VERSION = 2;
