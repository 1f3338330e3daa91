import Foundation
import Testing

@testable import ApexCLI

/// `apex resume` takes over at once the lease of a process of this kernel that has exited.
@Suite struct LeaseOwnerProbeTests {
    let kernel = LeaseOwnerProbe.kernelIdentity

    /// The id of a process that has exited (and been reaped).
    static func exitedProcessID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func thisProcessesOwnerNamesItsKernel() throws {
        let kernel = try #require(kernel, "Linux tells the boot id and the PID namespace")
        #expect(kernel.wholeMatch(of: /[0-9a-f]{12}-[0-9]+/) != nil)
        #expect(LeaseOwnerProbe.ownerName(process: "host:42", suffix: "abc123") == "host:42/abc123@\(kernel)")
    }

    @Test func anExitedProcessOfThisKernelIsGone() throws {
        let pid = try Self.exitedProcessID()
        #expect(LeaseOwnerProbe.isGone("any-host:\(pid)/abc123@\(try #require(kernel))", kernel: kernel))
        #expect(LeaseOwnerProbe.probe("any-host:\(pid)/abc123@\(try #require(kernel))"))
    }

    @Test func aZombieIsGone() async throws {
        // Spawned without Foundation (which reaps its children): it stays a zombie until waited for.
        var pid: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { arguments.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, arguments, nil) == 0)
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(LeaseOwnerProbe.isGone("h:\(pid)/abc123@\(try #require(kernel))", kernel: kernel))
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
    }

    @Test func aLiveProcessAnotherKernelOrAnUnknownShapeIsNot() throws {
        let kernel = try #require(kernel)
        #expect(!LeaseOwnerProbe.isGone("h:\(getpid())/abc123@\(kernel)", kernel: kernel))
        let pid = try Self.exitedProcessID()
        // The same process id under another kernel or namespace says nothing about this one.
        #expect(!LeaseOwnerProbe.isGone("h:\(pid)/abc123@000000000000-1", kernel: kernel))
        #expect(!LeaseOwnerProbe.isGone("h:\(pid)/abc123@\(kernel)", kernel: nil))
        for owner in ["bench-42", "h:\(pid)/abc123", "h:\(pid)@\(kernel)", "h:x/abc@\(kernel)", "h:0/abc@\(kernel)", "h:-1/abc@\(kernel)", ""] {
            #expect(!LeaseOwnerProbe.isGone(owner, kernel: kernel), "\(owner)")
        }
    }
}
