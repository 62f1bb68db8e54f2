import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// A key on Accounts costs the same with 100 workspaces as with 10,000: what the run loop does
/// per key (the clock brought up to now, the key reduced, the frame rendered) reads only the
/// rows in view, never every workspace (the regression from 4.4 to 9.4 ms at a million records).
@Suite(.serialized) struct AccountsKeyCostTests {
    static let keys = 120

    /// The least microseconds one key's work on Accounts took at `size`, over `keys` presses of ↓
    /// and ↑ (the least, not the median, so tests running beside it do not count).
    static func keyMicros(workspaces: Int, size: Size) -> Double {
        let driver = Driver(as: "maria", size: size, fixture: ConsoleFixture(extraWorkspaces: workspaces))
        var state = driver.state
        var times: [Double] = []
        var clock = driver.fixture.clock
        for index in 0..<keys {
            let started = DispatchTime.now().uptimeNanoseconds
            clock = Timestamp(secondsSinceEpoch: clock.secondsSinceEpoch + 1)
            state = reduce(state, .clock(clock)).0
            state = reduce(state, .key(index % 2 == 0 ? .down : .up)).0
            _ = render(state, size: size)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1000)
        }
        return times.min() ?? 0
    }

    @Test("a key on Accounts costs about the same at 10,000 workspaces as at 100", arguments: [Size(width: 120, height: 40), Size(width: 80, height: 24)])
    func accountsKeyCostDoesNotGrowWithTheWorkspaces(size: Size) {
        let small = Self.keyMicros(workspaces: 100, size: size)
        let large = Self.keyMicros(workspaces: 10_000, size: size)
        print("accounts key at \(size.width)x\(size.height): \(Int(small)) µs with 100 workspaces, \(Int(large)) µs with 10,000")
        // Walking every workspace per key made it 10 to 25 times slower at 10,000.
        #expect(large < small * 4, "\(Int(small)) µs with 100 workspaces, \(Int(large)) µs with 10,000")
    }
}
