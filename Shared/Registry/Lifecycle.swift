import Contracts

/// Which statuses a meter and a subscription may move between; anything else is refused with
/// the reason, so a record never says what cannot have happened.
extension MeterStatus {
    public func allows(_ next: MeterStatus) -> Bool {
        switch (self, next) {
        case (.inStock, .installed), (.inStock, .underTest), (.inStock, .scrapped): true
        case (.installed, .removed), (.installed, .underTest): true
        case (.removed, .inStock), (.removed, .underTest), (.removed, .scrapped): true
        case (.underTest, .inStock), (.underTest, .scrapped): true
        default: false
        }
    }
}

extension SubscriptionStatus {
    /// Nil when the move is allowed, else why not.
    public func refusal(moving next: SubscriptionStatus) -> String? {
        switch (self, next) {
        case (.pending, .active), (.active, .suspended), (.suspended, .active), (.pending, .terminated), (.active, .terminated), (.suspended, .terminated):
            nil
        case (.terminated, _): "the subscription is terminated; open a new one"
        case (.active, .active): "the subscription is already active"
        case (.pending, .suspended): "a pending subscription cannot be suspended; it has not started"
        case (.suspended, .suspended): "the subscription is already suspended"
        default: "a \(rawValue) subscription cannot become \(next.rawValue)"
        }
    }
}

extension Utility {
    /// Years between a meter's periodic accuracy tests after one it passed.
    public var testIntervalYears: Int {
        switch self {
        case .electricity: 8
        case .water: 5
        case .gas: 10
        case .heat: 5
        }
    }
}
