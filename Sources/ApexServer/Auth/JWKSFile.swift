import Foundation
import JWTKit

/// The verification keys of a JWKS document (RFC 7517, section 5), as identity providers publish.
///
/// Keys for other uses (`"use": "enc"`), types (`oct`, `OKP`), curves or algorithms are skipped,
/// as providers list them side by side; a file left with no RS256 or ES256 key is refused.
enum JWKSFile {
    private struct Document: Decodable { var keys: [Key] }

    private struct Key: Decodable {
        var kty: String?
        var use: String?
        var alg: String?
        var kid: String?
        var n: String?
        var e: String?
        var crv: String?
        var x: String?
        var y: String?
        var d: String?
    }

    static func keys(json: Data, path: String) async throws(AuthConfigurationError) -> [VerificationKey] {
        func problem(_ text: String) -> AuthConfigurationError {
            AuthConfigurationError("APEX_JWT_JWKS", "names \(path), \(text)")
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: json) else {
            throw problem("which is not a JWKS document ({\"keys\": [...]})")
        }
        var keys: [VerificationKey] = []
        for (index, key) in document.keys.enumerated() where key.use == nil || key.use == "sig" {
            let name = key.kid.map { "key \"\($0)\"" } ?? "keys[\(index)]"
            guard key.d == nil else { throw problem("whose \(name) is a private key; publish public keys only") }
            switch (key.kty, key.alg) {
            case ("RSA", nil), ("RSA", "RS256"):
                guard let n = key.n, let e = key.e, let rsa = try? Insecure.RSA.PublicKey(modulus: n, exponent: e) else {
                    throw problem("whose \(name) is not an RSA public key of at least 2048 bits (n, e)")
                }
                keys.append(await .rsa(rsa, keyID: key.kid))
            case ("EC", nil), ("EC", "ES256"):
                guard key.crv == "P-256" else { continue }
                guard let x = key.x, let y = key.y, let ec = try? ES256PublicKey(parameters: (x, y)) else {
                    throw problem("whose \(name) is not an EC P-256 public key (x, y)")
                }
                keys.append(await .ecdsa(ec, keyID: key.kid))
            default:
                continue
            }
        }
        guard !keys.isEmpty else { throw problem("which has no RS256 or ES256 signing key") }
        return keys
    }
}
