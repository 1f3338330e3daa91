import Foundation

/// Checks many files at once and hands the outcomes back in the order of the files.
///
/// Up to `concurrency` files are read and validated at the same time in a task group; an
/// outcome is handed to `each` as soon as every file before it has been, so output streams
/// while later files are still being checked. At most `4 × concurrency` outcomes wait for a
/// slow file before it, which bounds memory whatever the number of files.
enum ValidationPipeline {
    /// Checks what `apex validate PATH...` checks: each path that cannot be searched (missing,
    /// a folder without workflow files) as an unreadable outcome first, then every workflow
    /// file found, in path order.
    static func check(paths: [String], each: (FileOutcome) -> Void) async {
        let collector = WorkflowFileCollector(paths: paths)
        for problem in collector.problems { each(.unreadable(problem)) }
        await run(collector.files, each: each)
    }

    /// Checks `files` and calls `each` with every outcome, in the order of `files`.
    ///
    /// - Parameters:
    ///   - files: The paths to check.
    ///   - concurrency: How many files to check at once; 1 checks them one after another.
    ///   - check: Reads and validates one file (``FileOutcome/check(_:)``; tests pass fakes).
    ///   - each: Receives the outcomes in order, on the caller's task.
    static func run(
        _ files: [String],
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
        check: @escaping @Sendable (String) -> FileOutcome = FileOutcome.check,
        each: (FileOutcome) -> Void
    ) async {
        guard files.count > 1, concurrency > 1 else {
            for file in files { each(check(file)) }
            return
        }
        let window = concurrency * 4
        await withTaskGroup(of: (Int, FileOutcome).self) { group in
            var submitted = 0
            var delivered = 0
            var waiting: [Int: FileOutcome] = [:]
            while submitted < min(concurrency, files.count) {
                let index = submitted
                group.addTask { (index, check(files[index])) }
                submitted += 1
            }
            while let (index, outcome) = await group.next() {
                waiting[index] = outcome
                while let ready = waiting.removeValue(forKey: delivered) {
                    each(ready)
                    delivered += 1
                }
                // The file at `delivered` is still running, so a result will come to wake us
                // even when the window is full.
                while submitted < files.count, submitted - delivered < window,
                    submitted - delivered - waiting.count < concurrency
                {
                    let index = submitted
                    group.addTask { (index, check(files[index])) }
                    submitted += 1
                }
            }
        }
    }
}
