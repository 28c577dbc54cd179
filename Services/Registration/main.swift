// The registration service: see Registration.swift.
import Foundation

do {
    try await Registration().runFromEnvironment()
} catch {
    FileHandle.standardError.write(Data("registration: \(error)\n".utf8))
    exit(1)
}
