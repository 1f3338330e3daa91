import ApexDSL
import Foundation

/// What checking one file gave: its diagnostics, or the reason it could not be read.
enum FileOutcome: Sendable {
    /// The file was read and validated; the report may hold no diagnostics at all.
    case checked(DiagnosticReport)
    /// The file exists but could not be read.
    case unreadable(InputProblem)

    /// Reads and validates the file at `path`.
    static func check(_ path: String) -> FileOutcome {
        // One byte past the largest workflow, so the validator still reports an oversized FIFO.
        switch FileSystem.contents(of: path, limit: WorkflowSourceLoader.maxFileSize + 1) {
        case .failure(let problem):
            return .unreadable(problem)
        case .success(let data):
            return check(data, path: path)
        }
    }

    /// Reads what is left of `input` (standard input, for `apex validate -`) and validates it,
    /// reported under the name `path`; child workflow files resolve against `path`'s folder,
    /// the current folder for a bare name such as `<stdin>`.
    static func check(reading input: FileHandle, as path: String) -> FileOutcome {
        let limit = WorkflowSourceLoader.maxFileSize + 1
        switch FileSystem.contents(ofDescriptor: input.fileDescriptor, path: path, limit: limit, doing: "read standard input") {
        case .failure(let problem):
            return .unreadable(problem)
        case .success(let data):
            return check(data, path: path)
        }
    }

    /// Validates the workflow `data`, reported under the name `path`; a test file
    /// (`*.test.yaml`) is checked as one (docs/testing.md).
    static func check(_ data: Data, path: String) -> FileOutcome {
        if WorkflowTestFile.isTestFile(path) {
            let parsed = WorkflowTestParser.parse(data: data, path: path)
            return .checked(DiagnosticReport(path: path, source: parsed.source, diagnostics: parsed.diagnostics.sorted,
                                             truncatedCount: parsed.diagnostics.truncatedCount))
        }
        let result = WorkflowValidator.validate(data: data, path: path)
        return .checked(DiagnosticReport(
            path: path, source: result.source, diagnostics: result.diagnostics,
            truncatedCount: result.truncatedCount))
    }
}
