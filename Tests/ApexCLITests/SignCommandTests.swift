import ApexServer
import Foundation
import Testing

@testable import ApexCLI

/// `apex sign`: its headers are what `WebhookVerifier` accepts, for the namespace of the path.
@Suite struct SignCommandTests {
    static let secret = "webhook-secret-0123456789abcdef0123456789"
    let path = "/v1/hooks/default/runs/ticket-42/signals/approve"
    let body = #"{"approved":true}"#

    /// The three `Name: value` lines of `output`.
    func headers(_ output: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            headers[parts[0]] = parts[1]
        }
        return headers
    }

    func verify(_ headers: [String: String], namespace: String = "default", path: String? = nil, body: String? = nil,
                environment: [String: String] = ["APEX_WEBHOOK_SECRET": secret]) async throws -> WebhookFailure? {
        try await WebhookVerifier(environment: environment).verify(
            namespace: namespace, method: "POST", path: path ?? self.path, body: Array((body ?? self.body).utf8),
            timestamp: headers["X-Apex-Timestamp"], delivery: headers["X-Apex-Delivery"], signature: headers["X-Apex-Signature-256"])
    }

    @Test func itPrintsThreeHeadersThatTheVerifierAccepts() async throws {
        let result = await CommandResult.apex("sign", "--path", path, "--data", body, environment: ["APEX_WEBHOOK_SECRET": Self.secret])
        #expect(result.status == 0)
        #expect(result.error.isEmpty)
        let lines = result.output.split(separator: "\n")
        #expect(lines.map { $0.prefix { $0 != ":" } } == ["X-Apex-Timestamp", "X-Apex-Delivery", "X-Apex-Signature-256"])
        #expect(try await verify(headers(result.output)) == nil)
        #expect(try await verify(headers(result.output), body: #"{"approved":false}"#)?.reason == .badSignature)
    }

    @Test func fixedTimestampAndDeliveryGiveTheSharedSignature() async throws {
        let result = await CommandResult.apex("sign", "--path", path, "--method", "post", "--data", body, "--timestamp", "1800000000",
                                              "--delivery", "d-1", environment: ["APEX_WEBHOOK_SECRET": Self.secret])
        let expected = WebhookSignature.sign(secret: Self.secret, timestamp: "1800000000", delivery: "d-1", method: "POST", path: path,
                                             body: Array(body.utf8))
        #expect(result.output == "X-Apex-Timestamp: 1800000000\nX-Apex-Delivery: d-1\nX-Apex-Signature-256: \(expected)\n")
    }

    @Test func theSecretIsTheOneOfThePathsNamespaceUnlessNamed() async throws {
        let billing = "/v1/hooks/billing-eu/runs/r1/signals/paid"
        let environment = ["APEX_WEBHOOK_SECRET": Self.secret, "APEX_WEBHOOK_SECRET_BILLING_EU": "billing-" + Self.secret]
        let result = await CommandResult.apex("sign", "--path", billing, "--data", "", environment: environment)
        #expect(try await verify(headers(result.output), namespace: "billing-eu", path: billing, body: "", environment: environment) == nil)

        let named = await CommandResult.apex("sign", "--path", "/somewhere/else", "--secret-env", "MY_SECRET", "--data", body,
                                             environment: ["MY_SECRET": Self.secret])
        #expect(named.status == 0)
        #expect(try await verify(headers(named.output), path: "/somewhere/else") == nil)
    }

    @Test func aMissingOrShortSecretIsAnErrorWithStatus2() async {
        let missing = await CommandResult.apex("sign", "--path", "/v1/hooks/billing-eu/runs/r/signals/s", "--data", "{}")
        #expect(missing.status == 2)
        #expect(missing.output.isEmpty)
        #expect(missing.error == "error: APEX_WEBHOOK_SECRET_BILLING_EU is not set (in the environment or .env)\n")
        let short = await CommandResult.apex("sign", "--path", path, "--data", "{}", environment: ["APEX_WEBHOOK_SECRET": "short"])
        #expect(short.status == 2)
        #expect(short.error.hasPrefix("error: APEX_WEBHOOK_SECRET is 5 bytes long; a secret must be at least 32 bytes"))
        #expect(!short.error.contains("short\n"))
    }

    @Test(arguments: [
        ["--path", "/v1/runs/r", "--data", "{}"],
        ["--path", "v1/hooks/default/runs/r/signals/s", "--data", "{}"],
        ["--path", "/v1/hooks/default/runs/r/signals/s", "--data", "{}", "--data-file", "x.json"],
        ["--path", "/v1/hooks/default/runs/r/signals/s", "--data", "{}", "--delivery", "a.b"],
        ["--path", "/v1/hooks/default/runs/r/signals/s", "--data", "{}", "--format", "yaml"],
    ])
    func badUsageExits2(arguments: [String]) async {
        let capture = ConsoleCapture(environment: ["APEX_WEBHOOK_SECRET": Self.secret])
        let status = await ApexCommand.run(arguments: ["sign"] + arguments, console: capture.console)
        #expect(status == 2)
        #expect(capture.output.isEmpty)
    }

    @Test func theCurlFormatPrintsHeaderArguments() async throws {
        let result = await CommandResult.apex("sign", "--path", path, "--data", body, "--format", "curl", "--timestamp", "1800000000",
                                              "--delivery", "d-1", environment: ["APEX_WEBHOOK_SECRET": Self.secret])
        #expect(result.output.hasPrefix("-H 'X-Apex-Timestamp: 1800000000' -H 'X-Apex-Delivery: d-1' -H 'X-Apex-Signature-256: sha256="))
        #expect(result.output.hasSuffix("'\n"))
    }

    /// The built binary reads the body from standard input when neither --data nor --data-file.
    @Test func theBinarySignsStandardInput() async throws {
        let folder = try TemporaryFolder()
        let bodyFile = try folder.write("body.json", body + "\n")
        let result = try await ApexBinary.run(["sign", "--path", path], in: folder.path, environment: ["APEX_WEBHOOK_SECRET": Self.secret],
                                              standardInput: bodyFile)
        #expect(result.status == 0)
        #expect(try await verify(headers(result.output), body: body + "\n") == nil)
        #expect(try await verify(headers(result.output))?.reason == .badSignature)
    }
}
