/** Shape of the ids the orchestrator chooses for auctions, bidders, submissions and runs. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Human-readable form of ID_PATTERN for error messages. */
export const ID_RULE = '1 to 128 characters: letters, digits, ".", "_", ":" or "-", starting with a letter or digit';
