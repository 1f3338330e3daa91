import ApexServer
import Crypto
import Foundation
import Testing

/// Signed webhooks: the signature over timestamp, delivery, method, path and body; the time
/// window; the replay memory; each namespace's own secret.
@Suite struct WebhookTests {
    static let secret = "webhook-secret-0123456789abcdef0123456789"
    static let billingSecret = "billing-secret-0123456789abcdef0123456789"
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let path = "/v1/hooks/default/runs/ticket-42/signals/approve"
    let body = Array(#"{"approved":true}"#.utf8)

    func verifier(capacity: Int = 100_000) throws -> WebhookVerifier {
        try WebhookVerifier(environment: ["APEX_WEBHOOK_SECRET": Self.secret, "APEX_WEBHOOK_SECRET_BILLING_EU": Self.billingSecret,
                                          // Not a secret variable (no underscore after SECRET), so its length does not matter.
                                          "APEX_WEBHOOK_SECRETS": "not-a-namespace-secret"],
                            replayCapacity: capacity)
    }

    /// A delivery to `path` signed like `apex sign` does, `age` seconds before `now`.
    struct Delivery {
        var namespace = "default"
        var method = "POST"
        var path: String
        var body: [UInt8]
        var timestamp: String?
        var delivery: String?
        var signature: String?
    }

    func signed(path: String? = nil, body: [UInt8]? = nil, namespace: String = "default", secret: String = secret,
                age: TimeInterval = 0, delivery: String = UUID().uuidString) -> Delivery {
        let timestamp = String(Int(now.timeIntervalSince1970 - age))
        let path = path ?? self.path, body = body ?? self.body
        let signature = WebhookSignature.sign(secret: secret, timestamp: timestamp, delivery: delivery, method: "POST", path: path, body: body)
        return Delivery(namespace: namespace, path: path, body: body, timestamp: timestamp, delivery: delivery, signature: signature)
    }

    func verify(_ delivery: Delivery, with verifier: WebhookVerifier, at time: Date? = nil) async -> WebhookFailure.Reason? {
        await verifier.verify(namespace: delivery.namespace, method: delivery.method, path: delivery.path, body: delivery.body,
                              timestamp: delivery.timestamp, delivery: delivery.delivery, signature: delivery.signature,
                              now: time ?? now)?.reason
    }

    @Test func theSignatureIsTheHexHMACOfTimestampDeliveryMethodPathAndBody() {
        let signature = WebhookSignature.sign(secret: Self.secret, timestamp: "1800000000", delivery: "d-1", method: "post",
                                              path: "/v1/hooks/default/runs/r/signals/s?x=1", body: Array("{}".utf8))
        let message = "1800000000.d-1.POST./v1/hooks/default/runs/r/signals/s?x=1.{}"
        let mac = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(Self.secret.utf8)))
        #expect(signature == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
    }

    @Test func aGoodSignatureIsAccepted() async throws {
        let verifier = try verifier()
        #expect(await verify(signed(), with: verifier) == nil)
        #expect(await verify(signed(body: []), with: verifier) == nil)
        var uppercase = signed()
        uppercase.signature = "sha256=" + uppercase.signature!.dropFirst(7).uppercased()
        #expect(await verify(uppercase, with: verifier) == nil)
    }

    @Test func aBadSignatureIsRefused() async throws {
        let verifier = try verifier()
        #expect(await verify(signed(secret: "another-secret-0123456789abcdef0123456789"), with: verifier) == .badSignature)
        var tampered = signed()
        tampered.body = Array(#"{"approved":false}"#.utf8)
        #expect(await verify(tampered, with: verifier) == .badSignature)
        var otherMethod = signed()
        otherMethod.method = "PUT"
        #expect(await verify(otherMethod, with: verifier) == .badSignature)
        var otherTimestamp = signed()
        otherTimestamp.timestamp = String(Int(now.timeIntervalSince1970) - 1)
        #expect(await verify(otherTimestamp, with: verifier) == .badSignature)
        for garbage in ["sha256=", "sha256=abc", "md5=00", String(signed().signature!.dropFirst(7))] {
            var bad = signed()
            bad.signature = garbage
            #expect(await verify(bad, with: verifier) == .badSignature)
        }
    }

    @Test func aSignatureForAnotherPathIsRefused() async throws {
        let verifier = try verifier()
        for other in ["/v1/hooks/default/runs/ticket-43/signals/approve", "/v1/hooks/default/runs/ticket-42/signals/reject",
                      path + "?approved=false", "/v1/hooks/default/runs/ticket-42/signals/approve/"] {
            var moved = signed()
            moved.path = other
            #expect(await verify(moved, with: verifier) == .badSignature, "\(other)")
        }
        #expect(await verify(signed(path: path + "?source=ci"), with: verifier) == nil)
    }

    @Test(arguments: [0, 1, 2])
    func aMissingHeaderIsRefused(missing: Int) async throws {
        var delivery = signed()
        switch missing {
        case 0: delivery.timestamp = nil
        case 1: delivery.delivery = ""
        default: delivery.signature = nil
        }
        let verifier = try verifier()
        let failure = try #require(await verifier.verify(
            namespace: "default", method: "POST", path: path, body: body, timestamp: delivery.timestamp,
            delivery: delivery.delivery, signature: delivery.signature, now: now))
        #expect(failure.reason == .missingHeader)
        #expect(failure.status == .unauthorized)
        #expect(failure.description.hasSuffix(["X-Apex-Timestamp", "X-Apex-Delivery", "X-Apex-Signature-256"][missing]))
    }

    @Test func aTimestampOutsideTheFiveMinuteWindowIsRefusedEitherWay() async throws {
        let verifier = try verifier()
        #expect(await verify(signed(age: 360), with: verifier) == .badTimestamp)
        #expect(await verify(signed(age: -360), with: verifier) == .badTimestamp)
        #expect(await verify(signed(age: 301), with: verifier) == .badTimestamp)
        #expect(await verify(signed(age: 299), with: verifier) == nil)
        #expect(await verify(signed(age: -299), with: verifier) == nil)
        for text in ["soon", "-5", "1.8e9", "18000000000000", " 1800000000"] {
            var bad = signed()
            bad.timestamp = text
            #expect(await verify(bad, with: verifier) == .badTimestamp, "\(text)")
        }
    }

    @Test func aDeliveryIdIsAcceptedOnce() async throws {
        let verifier = try verifier()
        let delivery = signed(delivery: "d-0001")
        #expect(await verify(delivery, with: verifier) == nil)
        #expect(await verify(delivery, with: verifier) == .replayed)
        #expect(await verify(delivery, with: verifier, at: now.addingTimeInterval(290)) == .replayed)
        // The same id signed anew (another body) is still a replay; in another namespace it is not.
        #expect(await verify(signed(body: [], delivery: "d-0001"), with: verifier) == .replayed)
        let billing = signed(path: "/v1/hooks/billing-eu/runs/r/signals/paid", namespace: "billing-eu", secret: Self.billingSecret,
                             delivery: "d-0001")
        #expect(await verify(billing, with: verifier) == nil)
        // Past the window the stored timestamp no longer passes, whatever the memory holds.
        #expect(await verify(delivery, with: verifier, at: now.addingTimeInterval(400)) == .badTimestamp)
    }

    @Test func aFullReplayMemoryRefusesNewDeliveriesUntilOnesExpire() async throws {
        let verifier = try verifier(capacity: 2)
        #expect(await verify(signed(age: 200), with: verifier) == nil)
        #expect(await verify(signed(), with: verifier) == nil)
        let third = signed()
        let failure = try #require(await verifier.verify(namespace: "default", method: "POST", path: path, body: body,
                                                         timestamp: third.timestamp, delivery: third.delivery,
                                                         signature: third.signature, now: now))
        #expect(failure.reason == .replayMemoryFull)
        #expect(failure.status == .serviceUnavailable)
        #expect(await verifier.rememberedDeliveries == 2)
        // The first one is forgotten 360 s after its timestamp: 160 s from now.
        #expect(await verify(signed(age: -150), with: verifier, at: now.addingTimeInterval(170)) == nil)
        #expect(await verify(signed(age: -160), with: verifier, at: now.addingTimeInterval(170)) == .replayMemoryFull)
    }

    @Test func aBadDeliveryIdIsRefused() async throws {
        let verifier = try verifier()
        for id in ["a.b", "with space", String(repeating: "x", count: 129), "é"] {
            #expect(await verify(signed(delivery: id), with: verifier) == .badDelivery, "\(id)")
        }
        #expect(await verify(signed(delivery: String(repeating: "x", count: 128)), with: verifier) == nil)
    }

    @Test func eachNamespaceHasItsOwnSecret() async throws {
        let verifier = try verifier()
        let billingPath = "/v1/hooks/billing-eu/runs/r/signals/paid"
        #expect(await verify(signed(path: billingPath, namespace: "billing-eu", secret: Self.billingSecret), with: verifier) == nil)
        #expect(await verify(signed(path: billingPath, namespace: "billing-eu", secret: Self.secret), with: verifier) == .badSignature)
        let orders = try #require(await verifier.verify(namespace: "orders", method: "POST", path: "/v1/hooks/orders/runs/r/signals/s",
                                                        body: body, timestamp: "1800000000", delivery: "d", signature: "sha256=00", now: now))
        #expect(orders.reason == .noSecret)
        #expect(orders.status == .unauthorized)
        #expect(orders.description == #"namespace "orders" takes no webhooks: APEX_WEBHOOK_SECRET_ORDERS is not set on the server"#)
    }

    @Test func theSecretVariableOfANamespace() {
        #expect(WebhookSignature.secretVariable(namespace: "default") == "APEX_WEBHOOK_SECRET")
        #expect(WebhookSignature.secretVariable(namespace: "billing-eu") == "APEX_WEBHOOK_SECRET_BILLING_EU")
        #expect(WebhookSignature.secretVariable(namespace: "Team.7_x") == "APEX_WEBHOOK_SECRET_TEAM_7_X")
        #expect(WebhookSignature.secretVariable(namespace: "Default") == "APEX_WEBHOOK_SECRET_DEFAULT")
        #expect(WebhookSignature.namespace(inPath: "/v1/hooks/billing-eu/runs/r/signals/s") == "billing-eu")
        #expect(WebhookSignature.namespace(inPath: "/v1/hooks/ns?x=1") == "ns")
        #expect(WebhookSignature.namespace(inPath: "/v1/runs/r") == nil)
        #expect(WebhookSignature.namespace(inPath: "/v1/hooks//runs") == nil)
    }
}
