import Foundation
import Testing

@testable import ApexDSL

/// A fuzz harness for `apex validate` (docs/rules.md, "Fuzzing the validator").
///
/// It validates the pathological shapes of ``PathologicalShapes``, then mutated copies of the
/// valid fixtures, the example workflows and those shapes (``FuzzMutator``), and checks every
/// result: validation returns (a crash ends the test process), within ``bound``; every
/// diagnostic lies within the file (its line exists and its column is at most one past the
/// line's end); the text report renders.
///
/// A quick run is part of the test suite. `APEX_FUZZ_ITERATIONS`, `APEX_FUZZ_SEED` and
/// `APEX_FUZZ_SIZE` (the shapes' size) make a longer one; in a longer run each input is first
/// written to `apex-fuzz-input.yaml` in the temporary folder, so that the input that crashed is
/// left there. A failed check names the seed and iteration and saves the input beside it.
@Suite struct ValidationFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let iterations = environment["APEX_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 300
    static let seed = environment["APEX_FUZZ_SEED"].flatMap { UInt64($0) } ?? 1
    static let size = environment["APEX_FUZZ_SIZE"].flatMap { Int($0) } ?? 50
    static let isLongRun = environment["APEX_FUZZ_ITERATIONS"] != nil
    /// The longest one validation may take: generous, for a debug build on a busy machine.
    static let bound = Swift.Duration.seconds(10)

    static let folders = [
        FixtureTests.fixtures.appendingPathComponent("valid"),
        FixtureTests.repository.appendingPathComponent("workflows"),
    ]

    /// Each input with the path it is validated under: the file's own for the corpus (so that
    /// child workflows resolve), one in a folder that does not exist for the shapes.
    static func corpus() throws -> [(path: String, bytes: [UInt8])] {
        var inputs: [(String, [UInt8])] = []
        for folder in folders {
            for name in FixtureTests.yamlFiles(in: folder) {
                let url = folder.appendingPathComponent(name)
                inputs.append((url.path, [UInt8](try Data(contentsOf: url))))
            }
        }
        for shape in PathologicalShapes.all(size: size) {
            inputs.append(("/nonexistent/\(shape.name).yaml", Array(shape.text.utf8)))
        }
        return inputs
    }

    @Test func pathologicalShapesValidateWithinBounds() throws {
        for shape in PathologicalShapes.all(size: Self.size) {
            try Self.check(Array(shape.text.utf8), path: "/nonexistent/\(shape.name).yaml", label: "shape \(shape.name)")
        }
    }

    @Test func mutatedWorkflowsValidateWithinBounds() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count > PathologicalShapes.all(size: 1).count, "no fixtures or workflows found")
        var mutator = FuzzMutator(random: SeededGenerator(seed: Self.seed), corpus: corpus.map(\.bytes))
        for iteration in 0..<Self.iterations {
            let (path, bytes) = corpus.randomElement(using: &mutator.random)!
            try Self.check(mutator.mutate(bytes), path: path, label: "seed \(Self.seed), iteration \(iteration)")
        }
    }

    /// Validates `bytes` and records an issue for every broken promise.
    static func check(_ bytes: [UInt8], path: String, label: String) throws {
        let scratch = FileManager.default.temporaryDirectory
        if isLongRun {
            try Data(bytes).write(to: scratch.appendingPathComponent("apex-fuzz-input.yaml"))
        }
        var result: ValidationResult?
        let elapsed = ContinuousClock().measure {
            result = WorkflowValidator.validate(data: Data(bytes), path: path)
        }
        let validation = try #require(result)
        var problems = outOfFile(validation, bytes: bytes, path: path)
        if elapsed > bound { problems.append("validation took \(elapsed)") }
        let report = DiagnosticReport(path: path, source: validation.source, diagnostics: validation.diagnostics)
        if DiagnosticRenderer.text(report).isEmpty != validation.diagnostics.isEmpty { problems.append("the text report is wrong") }
        guard !problems.isEmpty else { return }
        let saved = scratch.appendingPathComponent("apex-fuzz-\(label.filter { $0.isLetter || $0.isNumber }).yaml")
        try Data(bytes).write(to: saved)
        let details = problems.joined(separator: "\n")
        Issue.record("\(label) (input saved to \(saved.path)):\n\(details)")
    }

    /// The diagnostics that point outside the file or belong to another one, described.
    static func outOfFile(_ result: ValidationResult, bytes: [UInt8], path: String) -> [String] {
        // The lengths of the lines in Unicode scalars; without a decoded text, of the bytes
        // after a byte order mark (only lines are checked then).
        let lengths: [Int]
        if let source = result.source {
            lengths = source.lines.map(\.unicodeScalars.count)
        } else {
            let text = bytes.starts(with: WorkflowSourceLoader.byteOrderMark) ? bytes.dropFirst(3) : bytes[...]
            lengths = SourceFile.lineRanges(of: text).map { _ in Int.max - 1 }
        }
        return result.diagnostics.compactMap { diagnostic in
            let range = diagnostic.range
            let inside = [range.start, range.end].allSatisfy { (location: ApexDSL.SourceLocation) -> Bool in
                guard location.line >= 1, location.line <= lengths.count else { return false }
                return location.column >= 1 && location.column <= lengths[location.line - 1] + 1
            }
            guard !inside || diagnostic.file != path else { return nil }
            return "\(diagnostic.file):\(range.start)-\(range.end) [\(diagnostic.rule.rawValue)] \(diagnostic.message.prefix(200))"
        }
    }
}
