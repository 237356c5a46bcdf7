import TestParallelism

/// The test run this process is part of.
public enum TestRun {
    /// How many test cases Swift Testing runs at once: `SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH`, which the
    /// `TestParallelism` target sets to twice the processor count before the run starts unless it was given.
    public static var parallelizationWidth: Int { Int(skald_test_parallelization_width()) }
}
