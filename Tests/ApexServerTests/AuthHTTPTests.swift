import ApexDSL
import ApexServer
import Foundation
import Testing

/// Auth as a client meets it over HTTP: 401 with a challenge, 403 for another namespace or a
/// missing scope, tokens in the query for browsers, and signed webhooks with replays refused.
@Suite(.serialized) struct AuthHTTPTests {
    static let environment = ["APEX_JWT_SECRET": TestKeys.secret, "APEX_WEBHOOK_SECRET": String(repeating: "w", count: 32)]

    func token(namespace: String? = nil, scope: String? = nil, expired: Bool = false) async throws -> String {
        var claims = TestClaims.valid(at: expired ? Date().addingTimeInterval(-7200) : Date())
        claims.namespace = namespace
        claims.scope = scope
        return try await TestIssuer.hs256().token(claims)
    }

    @Test func tokensDecideWhoMayDoWhatWhere() async throws {
        let server = try await TestServer.start(environment: Self.environment)
        let writer = try await token(scope: "runs:read runs:write signals:write")
        let bearer = { (token: String) in [("Authorization", "Bearer \(token)")] }

        let missing = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval))
        #expect(missing.status == 401)
        #expect(missing.headers.first(name: "www-authenticate") == "Bearer")
        #expect(missing.headers.first(name: "content-type") == "application/problem+json")
        let expired = try await HTTP.get("\(server.base)/v1/runs", headers: bearer(try await token(expired: true)))
        #expect(expired.status == 401)
        #expect(expired.headers.first(name: "www-authenticate")?.contains("invalid_token") == true)
        let forged = try await HTTP.get("\(server.base)/v1/runs", headers: bearer(writer.dropLast(3) + "abc"))
        #expect(forged.status == 401)

        let reader = try await token()
        #expect(try await HTTP.get("\(server.base)/v1/runs", headers: bearer(reader)).status == 200)
        let readOnly = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval), headers: bearer(reader))
        #expect(readOnly.status == 403)
        #expect(readOnly.headers.first(name: "www-authenticate")?.contains("insufficient_scope") == true)

        let started = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "a-1"), headers: bearer(writer))
        #expect(started.status == 201)
        let otherNamespace = try await HTTP.get("\(server.base)/v1/runs/a-1", headers: bearer(writer) + [("X-Apex-Namespace", "billing")])
        #expect(otherNamespace.status == 403)
        let billing = try await token(namespace: "billing", scope: "runs:read")
        #expect(try await HTTP.get("\(server.base)/v1/runs/a-1", headers: bearer(billing)).status == 404)

        let stream = try await SSEReader.open("\(server.base)/v1/runs/a-1/events?access_token=\(reader)")
        #expect(stream.status == 200)
        #expect(try await stream.next()?.name == "RunStarted")
        #expect(try await HTTP.get("\(server.base)/healthz").status == 200)
        try await server.stop()
    }

    @Test func signedWebhooksSignalOnceAndRefuseReplaysAndForgeries() async throws {
        let server = try await TestServer.start(environment: Self.environment)
        let writer = try await token(scope: "runs:write")
        _ = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "h-1"), headers: [("Authorization", "Bearer \(writer)")])
        let path = "/v1/hooks/default/runs/h-1/signals/approve"
        let body = #"{"approved":true}"#
        let timestamp = String(Int(Date().timeIntervalSince1970))
        func headers(_ delivery: String, path: String = path, timestamp: String = timestamp, body: String = body) -> [(String, String)] {
            let signature = WebhookSignature.sign(secret: Self.environment["APEX_WEBHOOK_SECRET"]!, timestamp: timestamp, delivery: delivery,
                                                  method: "POST", path: path, body: Array(body.utf8))
            return [("X-Apex-Timestamp", timestamp), ("X-Apex-Delivery", delivery), ("X-Apex-Signature-256", signature)]
        }
        let other = try await HTTP.send(.POST, "\(server.base)/v1/hooks/default/runs/h-1/signals/reject", body: body,
                                        headers: headers("d-0", path: path))
        #expect(other.status == 401)
        let old = try await HTTP.send(.POST, server.base + path, body: body, headers: headers("d-1", timestamp: String(Int(Date().timeIntervalSince1970) - 400)))
        #expect(old.status == 401)
        let tampered = try await HTTP.send(.POST, server.base + path, body: #"{"approved":false}"#, headers: headers("d-2"))
        #expect(tampered.status == 401)
        #expect(tampered.json["type"] == "https://apex.dev/problems/invalid-signature")
        let accepted = try await HTTP.send(.POST, server.base + path, body: body, headers: headers("d-3"))
        #expect(accepted.status == 202)
        let replayed = try await HTTP.send(.POST, server.base + path, body: body, headers: headers("d-3"))
        #expect(replayed.status == 401)
        let history = try await HTTP.get("\(server.base)/v1/runs/h-1/history", headers: [("Authorization", "Bearer \(try await token())")])
        #expect(history.json["events"]?.arrayValue?.filter { $0["type"] == "SignalReceived" }.count == 1)
        try await server.stop()
    }
}
