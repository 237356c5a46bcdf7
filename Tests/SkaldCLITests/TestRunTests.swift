import TestSupport
import Testing

/// The suite runs in parallel, bounded: plain `swift test` does not start every test case at once.
@Suite struct TestRunTests {
    @Test func parallelTestCasesAreBounded() {
        // Twice the processor count unless SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH was given.
        #expect(TestRun.parallelizationWidth > 0)
    }
}
