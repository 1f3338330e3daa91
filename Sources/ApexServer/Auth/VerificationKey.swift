import JWTKit

/// One configured key that may verify tokens: its algorithm is fixed by the configuration, never
/// by a token.
struct VerificationKey: Sendable {
    var algorithm: TokenAlgorithm
    /// The JWKS `kid`; nil for `APEX_JWT_SECRET` and `APEX_JWT_PUBLIC_KEY`.
    var keyID: String?
    /// A collection holding only this key, as its default (jwt-kit verifies through collections).
    var collection: JWTKeyCollection

    static func hmac(secret: String) async -> VerificationKey {
        VerificationKey(algorithm: .hs256, keyID: nil,
                        collection: await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256))
    }

    static func rsa(_ key: Insecure.RSA.PublicKey, keyID: String? = nil) async -> VerificationKey {
        VerificationKey(algorithm: .rs256, keyID: keyID,
                        collection: await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256))
    }

    static func ecdsa(_ key: ES256PublicKey, keyID: String? = nil) async -> VerificationKey {
        VerificationKey(algorithm: .es256, keyID: keyID, collection: await JWTKeyCollection().add(ecdsa: key))
    }
}

extension [VerificationKey] {
    /// The keys to try for a token with `header`: those of its algorithm; of these, only the one
    /// with its `kid` when one has it.
    ///
    /// A `kid` no JWKS key has falls back to the keys without one (the secret, the PEM key): an
    /// issuer may name its key while the server was given it as a PEM file.
    func candidates(for algorithm: TokenAlgorithm, keyID: String?) -> [VerificationKey] {
        let sameAlgorithm = filter { $0.algorithm == algorithm }
        guard let keyID else { return sameAlgorithm }
        let named = sameAlgorithm.filter { $0.keyID == keyID }
        return named.isEmpty ? sameAlgorithm.filter { $0.keyID == nil } : named
    }
}
