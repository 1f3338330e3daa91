import ApexDSL
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging

/// What each request carries through the middleware to its route: its id (in every log
/// line and the `X-Request-Id` header), who sent it and the namespace it acts on.
public struct APIContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<APIContext>
    /// The caller, once authenticated; nil when auth is off (everything is allowed).
    public var principal: Principal?
    /// The namespace the request acts on: the token's, else `X-Apex-Namespace`, else `default`.
    public var namespace: String = Namespace.defaultName
    public var requestID: String = ""

    public init(source: Source) {
        coreContext = .init(source: source)
        webSocket = .init()
    }

    /// Refuses the request (403) unless its caller has `scope` (always granted with auth off).
    func require(_ scope: Scope) throws {
        guard let principal else { return }
        if let failure = principal.check(namespace: namespace, scope: scope) {
            throw Problem(.forbidden, "forbidden", "Forbidden", detail: failure.description, headers: [.wwwAuthenticate: failure.wwwAuthenticate])
        }
    }
}

extension HTTPField.Name {
    static let apexNamespace = Self("X-Apex-Namespace")!
    static let requestID = Self("X-Request-Id")!
    static let lastEventID = Self("Last-Event-ID")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let apexTimestamp = Self(WebhookSignature.timestampHeader)!
    static let apexDelivery = Self(WebhookSignature.deliveryHeader)!
    static let apexSignature = Self(WebhookSignature.signatureHeader)!
}
