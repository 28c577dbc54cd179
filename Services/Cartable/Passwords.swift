import BlockingIO
import HummingbirdBcrypt

/// bcrypt on a thread of its own: a hash takes tens of milliseconds, which must not hold one of
/// Swift's few cooperative threads.
actor Passwords {
    static let shared = Passwords()
    /// 2^10 rounds: about 60 ms here, slow enough for guessing, quick enough for signing in.
    static let cost: UInt8 = 10

    private let executor = ThreadExecutor(name: "bcrypt")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    func hash(_ password: String) -> String { Bcrypt.hash(password, cost: Self.cost) }
    /// With no hash (an unknown or disabled user) a hash is still checked, and false returned:
    /// timing does not tell which usernames exist.
    func verify(_ password: String, against hash: String?) -> Bool {
        guard let hash else {
            _ = Bcrypt.verify(password, hash: unknownUser)
            return false
        }
        return Bcrypt.verify(password, hash: hash)
    }

    private lazy var unknownUser = Bcrypt.hash(Sessions.randomToken(), cost: Self.cost)
}
