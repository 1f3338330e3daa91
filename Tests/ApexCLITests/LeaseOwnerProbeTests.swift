import ApexStoreSQLite
import ApexTesting
import Foundation
import Testing

@testable import ApexCLI

/// `apex resume` takes over at once the lease of a local process that has exited.
@Suite struct LeaseOwnerProbeTests {
    let host = ProcessInfo.processInfo.hostName

    /// The id of a process that has exited (and been reaped).
    static func exitedProcessID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func anExitedProcessOfThisHostIsGone() throws {
        let pid = try Self.exitedProcessID()
        #expect(LeaseOwnerProbe.isGone("\(host):\(pid)/abc123", host: host))
    }

    @Test func aZombieIsGone() async throws {
        // Spawned without Foundation (which reaps its children): it stays a zombie until waited for.
        var pid: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { arguments.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, arguments, nil) == 0)
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(LeaseOwnerProbe.isGone("\(host):\(pid)/abc123", host: host))
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
    }

    @Test func aLiveProcessAnotherHostOrAnUnknownShapeIsNot() throws {
        #expect(!LeaseOwnerProbe.isGone("\(host):\(getpid())/abc123", host: host))
        let pid = try Self.exitedProcessID()
        #expect(!LeaseOwnerProbe.isGone("elsewhere:\(pid)/abc123", host: host))
        for owner in ["bench-42", "\(host):\(pid)", "\(host):x/abc", "\(host):0/abc", "\(host):-1/abc", ""] {
            #expect(!LeaseOwnerProbe.isGone(owner, host: host), "\(owner)")
        }
    }

    @Test func onlyALocalFileStoreAssumesLocalOwners() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-probe-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pid = try Self.exitedProcessID()
        let owner = "\(host):\(pid)/abc123"
        #expect(LeaseOwnerProbe.probe(for: try SQLiteRunStore(path: folder + "/probe.db"))(owner))
        #expect(!LeaseOwnerProbe.probe(for: InMemoryRunStore())(owner))
    }
}
