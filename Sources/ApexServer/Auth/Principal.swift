import ApexDSL

/// Who made a request, as the verified bearer token says: the server decides what they may do
/// with ``check(namespace:scope:)``, one rule for every route.
public struct Principal: Sendable, Equatable {
    /// The token's `sub` claim.
    public var subject: String?
    /// The only namespace the token may act in: its `namespace` claim, else `default`.
    public var namespace: String
    /// What the token may do (``Scope/granted(by:)``).
    public var scopes: Set<Scope>
    /// True for ``unrestricted``: every namespace, every scope.
    public var isUnrestricted: Bool

    public init(subject: String?, namespace: String, scopes: Set<Scope>) {
        self.subject = subject
        self.namespace = namespace
        self.scopes = scopes
        isUnrestricted = false
    }

    /// The principal of every request when authentication is off (no JWT key configured).
    public static let unrestricted: Principal = {
        var principal = Principal(subject: nil, namespace: Namespace.defaultName, scopes: Set(Scope.allCases))
        principal.isUnrestricted = true
        return principal
    }()

    /// Whether this principal may do what `scope` grants in `namespace`.
    ///
    /// - Returns: nil when allowed; otherwise the 403 to answer.
    public func check(namespace: String, scope: Scope) -> AuthorizationFailure? {
        if isUnrestricted { return nil }
        guard namespace == self.namespace else {
            return AuthorizationFailure(reason: .namespace, scope: scope,
                                        description: "the token is limited to namespace \"\(self.namespace)\", not \"\(namespace)\"")
        }
        guard scopes.contains(scope) else {
            return AuthorizationFailure(reason: .scope, scope: scope, description: "the token lacks the scope \(scope.rawValue)")
        }
        return nil
    }
}

/// A valid token that may not do what was asked: answered 403 (RFC 6750, section 3.1,
/// `insufficient_scope`).
public struct AuthorizationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The token's namespace is another one.
        case namespace
        /// The token lacks the scope.
        case scope
    }

    public var reason: Reason
    /// The scope the request needed.
    public var scope: Scope
    /// The problem's detail, e.g. `the token lacks the scope runs:write`.
    public var description: String

    /// The `WWW-Authenticate` value of the 403.
    public var wwwAuthenticate: String {
        #"Bearer error="insufficient_scope", scope="\#(scope.rawValue)", error_description="\#(AuthFailure.quotable(description))""#
    }
}
