import Foundation
import JWTKit

/// Reads the JWT keys the environment configures: `APEX_JWT_SECRET` (HS256),
/// `APEX_JWT_PUBLIC_KEY` (a PEM file: RS256 or ES256, told apart by the key) and `APEX_JWT_JWKS`
/// (a JWKS file).
enum VerificationKeyLoader {
    static func keys(from environment: [String: String]) async throws(AuthConfigurationError) -> [VerificationKey] {
        var keys: [VerificationKey] = []
        if let secret = environment["APEX_JWT_SECRET"] {
            try SharedSecret.check(secret, variable: "APEX_JWT_SECRET")
            keys.append(await .hmac(secret: secret))
        }
        if let path = environment["APEX_JWT_PUBLIC_KEY"] {
            keys.append(try await publicKey(pem: read(path, variable: "APEX_JWT_PUBLIC_KEY"), path: path))
        }
        if let path = environment["APEX_JWT_JWKS"] {
            keys += try await JWKSFile.keys(json: read(path, variable: "APEX_JWT_JWKS"), path: path)
        }
        return keys
    }

    /// An RSA (RS256) or EC P-256 (ES256) public key in PEM.
    static func publicKey(pem: Data, path: String) async throws(AuthConfigurationError) -> VerificationKey {
        let text = String(decoding: pem, as: UTF8.self)
        if text.contains("PRIVATE KEY-----") {
            throw AuthConfigurationError("APEX_JWT_PUBLIC_KEY", "names \(path), which holds a private key; give the public key "
                                         + "only (openssl pkey -in key.pem -pubout -out public.pem)")
        }
        if let key = try? Insecure.RSA.PublicKey(pem: text) { return await .rsa(key) }
        if let key = try? ES256PublicKey(pem: text) { return await .ecdsa(key) }
        throw AuthConfigurationError("APEX_JWT_PUBLIC_KEY", "names \(path), which is not a PEM public key "
                                     + "(-----BEGIN PUBLIC KEY-----) of RSA with at least 2048 bits or of EC P-256")
    }

    /// The contents of the file `path` names.
    static func read(_ path: String, variable: String) throws(AuthConfigurationError) -> Data {
        guard !path.isEmpty else { throw AuthConfigurationError(variable, "is set but empty; it must name a file") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw AuthConfigurationError(variable, "names \(path), which does not exist")
        }
        guard !isFolder.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw AuthConfigurationError(variable, "names \(path), which cannot be read as a file")
        }
        return data
    }
}
