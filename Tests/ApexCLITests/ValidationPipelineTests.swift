import ApexDSL
import Foundation
import Testing

@testable import ApexCLI

/// Files are checked concurrently, yet their outcomes come out in the order of the files.
@Suite struct ValidationPipelineTests {
    private static func fakeCheck(_ path: String) -> FileOutcome {
        // Later files finish first, so order has to be restored.
        usleep(UInt32.random(in: 0...2_000))
        return .checked(DiagnosticReport(path: path, source: nil, diagnostics: []))
    }

    private func paths(_ outcomes: [FileOutcome]) -> [String] {
        outcomes.map {
            switch $0 {
            case .checked(let report): report.path
            case .unreadable(let problem): problem.path
            }
        }
    }

    @Test(arguments: [1, 2, 8])
    func deliversOutcomesInTheOrderOfTheFiles(concurrency: Int) async {
        let files = (0..<300).map { "file-\($0).yaml" }
        var outcomes: [FileOutcome] = []
        await ValidationPipeline.run(files, concurrency: concurrency, check: Self.fakeCheck) { outcomes.append($0) }
        #expect(paths(outcomes) == files)
    }

    @Test func checksNothingForNoFiles() async {
        var count = 0
        await ValidationPipeline.run([], concurrency: 4, check: Self.fakeCheck) { _ in count += 1 }
        #expect(count == 0)
    }

    @Test func checksRealFilesConcurrentlyAndReportsEachOnce() async throws {
        let folder = try TemporaryFolder()
        var files: [String] = []
        for index in 0..<40 {
            files.append(try folder.write("f\(index).yaml", index.isMultiple(of: 5) ? "a: [\n" : "apex: 1\nname: f\nsteps:\n  - {id: a, sleep: 1s}\n"))
        }
        var outcomes: [FileOutcome] = []
        await ValidationPipeline.run(files, concurrency: 4) { outcomes.append($0) }
        #expect(paths(outcomes) == files)
        let failing = outcomes.filter { if case .checked(let report) = $0 { report.count(of: .error) > 0 } else { false } }
        #expect(failing.count == 8)
    }
}
