// The REFI-QDA 1.0 schema namespaces (standard text 1.5).
export const PROJECT_NS = "urn:QDA-XML:project:1.0";
export const CODEBOOK_NS = "urn:QDA-XML:codebook:1.0";
