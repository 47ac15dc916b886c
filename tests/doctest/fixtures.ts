// Values the examples of src/ use without building them (`facts`, `report`, ...): the doctest's
// preamble puts every export of this module in scope, after carekit's own exports.
export {};
