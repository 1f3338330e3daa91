import Foundation
import Testing

@testable import ApexCLI

/// Which files `apex validate` checks for the paths it is given.
@Suite struct WorkflowFileCollectorTests {
    @Test func findsWorkflowsBelowAFolderSortedSkippingHiddenOnes() throws {
        let folder = try TemporaryFolder()
        for name in ["b.yaml", "a.yml", "sub/z.yaml", "sub/deeper/c.YAML", "sub-x.yaml", "notes.md", "x.yaml.bak",
                     ".hidden.yaml", ".git/config.yaml", ".build/debug/p.yaml", "sub/.cache/q.yaml"] {
            try folder.write(name, "a: 1\n")
        }
        let collector = WorkflowFileCollector(paths: [folder.path])
        #expect(collector.problems.isEmpty)
        #expect(collector.files == ["a.yml", "b.yaml", "sub-x.yaml", "sub/deeper/c.YAML", "sub/z.yaml"].map { folder.path + "/" + $0 })
    }

    @Test func keepsTheOrderOfArgumentsAndChecksEachFileOnce() throws {
        let folder = try TemporaryFolder()
        let b = try folder.write("b.yaml", "a: 1\n")
        let a = try folder.write("a.yaml", "a: 1\n")
        let text = try folder.write("flow.txt", "a: 1\n")
        let collector = WorkflowFileCollector(paths: [b, text, folder.path, a])
        #expect(collector.files == [b, text, a])
    }

    @Test func printsPathsBelowAFolderAsTheFolderWasWritten() throws {
        let folder = try TemporaryFolder()
        try folder.write("w/flow.yaml", "a: 1\n")
        #expect(WorkflowFileCollector(paths: [folder.path + "/w///"]).files == [folder.path + "/w/flow.yaml"])
    }

    @Test func followsLinksToFilesButNotToFolders() throws {
        let folder = try TemporaryFolder()
        let target = try folder.write("real/flow.yaml", "a: 1\n")
        try folder.makeFolder("tree")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/tree/link.yaml", withDestinationPath: target)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/tree/loop", withDestinationPath: folder.path + "/tree")
        let collector = WorkflowFileCollector(paths: [folder.path + "/tree"])
        #expect(collector.files == [folder.path + "/tree/link.yaml"])
        #expect(collector.problems.isEmpty)
    }

    @Test func reportsMissingPathsAndEmptyFolders() throws {
        let folder = try TemporaryFolder()
        try folder.makeFolder("empty")
        let collector = WorkflowFileCollector(paths: [folder.path + "/missing.yaml", folder.path + "/empty"])
        #expect(collector.files.isEmpty)
        #expect(collector.problems == [
            InputProblem(path: folder.path + "/missing.yaml", message: "no such file or folder"),
            InputProblem(path: folder.path + "/empty", message: "no workflow files (*.yaml, *.yml) in this folder"),
        ])
    }

    @Test(.enabled(if: getuid() != 0, "root lists folders whatever their permissions"))
    func reportsAFolderThatCannotBeListed() throws {
        let folder = try TemporaryFolder()
        try folder.write("ok.yaml", "a: 1\n")
        let locked = try folder.makeFolder("locked")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
        let collector = WorkflowFileCollector(paths: [folder.path])
        #expect(collector.files == [folder.path + "/ok.yaml"])
        #expect(collector.problems == [InputProblem(path: locked, message: "cannot list the folder: permission denied")])
    }
}
