import CreditKit
import Testing

/// R24 in one place (`AlertState.firing`, `rearm`): the table both charge paths and the fold read.
@Suite struct AlertStateRuleTests {
    private func state(low: Bool, empty: Bool) -> AlertState {
        var alerts = AlertState()
        (alerts.lowArmed, alerts.emptyArmed) = (low, empty)
        return alerts
    }

    @Test(arguments: [
        // balance, low armed, empty armed, fired
        (11, true, true, nil), (10, true, true, AlertKind.low), (1, true, true, .low), (0, true, true, .empty),
        (10, false, true, nil), (0, false, true, .empty), (0, true, false, .low), (0, false, false, nil),
    ] as [(Int64, Bool, Bool, AlertKind?)])
    func R24_anArmedAlertFiresAtItsThreshold(balance: Int64, low: Bool, empty: Bool, fired: AlertKind?) {
        #expect(state(low: low, empty: empty).firing(atBalance: balance, lowAtOrBelow: 10) == fired)
    }

    @Test(arguments: [
        // balance, low armed after, empty armed after (from both disarmed)
        (0, false, false), (1, false, true), (10, false, true), (11, true, true),
    ] as [(Int64, Bool, Bool)])
    func R24_anAlertReArmsOnlyAboveItsThreshold(balance: Int64, low: Bool, empty: Bool) {
        var alerts = state(low: false, empty: false)
        alerts.rearm(atBalance: balance, lowAtOrBelow: 10)
        #expect((alerts.lowArmed, alerts.emptyArmed) == (low, empty))
    }
}
