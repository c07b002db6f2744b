/** Per unit-test file: no colour, no CI summary file; unit tests never reach a server. */
process.env.NO_COLOR = '1';
delete process.env.GITHUB_STEP_SUMMARY;
