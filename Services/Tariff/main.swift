// The tariff service: see Tariffs.swift.
import Foundation

do {
    try await Tariffs().runFromEnvironment()
} catch {
    FileHandle.standardError.write(Data("tariff: \(error)\n".utf8))
    exit(1)
}
