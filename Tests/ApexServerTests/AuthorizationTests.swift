import ApexServer
import Foundation
import JWTKit
import Testing

/// The `namespace` and `scope` claims, and the one 403 rule of ``Principal/check(namespace:scope:)``.
@Suite struct AuthorizationTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func principal(namespace: String? = nil, scope: String? = nil) async throws -> Principal {
        var claims = TestClaims.valid(at: now)
        claims.namespace = namespace
        claims.scope = scope
        let auth = try await AuthConfiguration.fromEnvironment(["APEX_JWT_SECRET": TestKeys.secret])
        return try await auth.authenticate(bearer: try await TestIssuer.hs256().token(claims), now: now).get()
    }

    @Test func withoutANamespaceClaimATokenActsInDefaultOnly() async throws {
        let reader = try await principal()
        #expect(reader.namespace == "default")
        #expect(reader.check(namespace: "default", scope: .runsRead) == nil)
        let denied = try #require(reader.check(namespace: "billing", scope: .runsRead))
        #expect(denied.reason == .namespace)
        #expect(denied.description == #"the token is limited to namespace "default", not "billing""#)
    }

    @Test func theNamespaceClaimLimitsTheTokenToItsNamespace() async throws {
        let billing = try await principal(namespace: "billing-eu", scope: "runs:read")
        #expect(billing.check(namespace: "billing-eu", scope: .runsRead) == nil)
        #expect(billing.check(namespace: "default", scope: .runsRead)?.reason == .namespace)
        #expect(billing.check(namespace: "Billing-EU", scope: .runsRead)?.reason == .namespace)
    }

    @Test func withoutAScopeClaimATokenMayOnlyRead() async throws {
        let reader = try await principal()
        #expect(reader.scopes == [.runsRead])
        for scope in [Scope.runsWrite, .signalsWrite, .workflowsWrite] {
            let denied = try #require(reader.check(namespace: "default", scope: scope))
            #expect(denied.reason == .scope)
            #expect(denied.description == "the token lacks the scope \(scope.rawValue)")
        }
    }

    @Test func theScopeClaimGrantsExactlyTheScopesItNames() async throws {
        let writer = try await principal(scope: "runs:write  signals:write openid profile")
        #expect(writer.scopes == [.runsWrite, .signalsWrite])
        #expect(writer.check(namespace: "default", scope: .runsRead)?.reason == .scope)
        #expect(try await principal(scope: "").scopes.isEmpty)
        #expect(try await principal(scope: Scope.allCases.map(\.rawValue).joined(separator: " ")).scopes == Set(Scope.allCases))
    }

    @Test func scopeParsingIgnoresUnknownNamesAndCase() {
        #expect(Scope.granted(by: nil) == [.runsRead])
        #expect(Scope.granted(by: "RUNS:WRITE runs:writes runs:write") == [.runsWrite])
        #expect(Scope.granted(by: "workflows:write\truns:read") == [.workflowsWrite, .runsRead])
    }

    @Test func aDenialCarriesAnInsufficientScopeChallenge() {
        let principal = Principal(subject: nil, namespace: "default", scopes: [.runsRead])
        let denied = principal.check(namespace: "default", scope: .signalsWrite)
        #expect(denied?.wwwAuthenticate
            == #"Bearer error="insufficient_scope", scope="signals:write", error_description="the token lacks the scope signals:write""#)
        let otherNamespace = principal.check(namespace: "x\"y", scope: .runsRead)
        #expect(otherNamespace?.wwwAuthenticate.contains(#"not 'x'y'""#) == true)
    }
}
