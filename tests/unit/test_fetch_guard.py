"""The two rebalance patches of ``worker.app`` (docs/reliability.md, "Known failures" 5).

* ``_fetch_within_one_assignment``: a fetch that outlived a rebalance loses nothing. The
  wrapped ``AIOKafkaConsumerThread._fetch_records`` is faust's own; aiokafka's side
  (coordinator, subscription, fetcher) is faked: ``fetched_records`` can change the group
  generation and the assignment while it "waits", as aiokafka's does when a rebalance
  happens during a fetch.
* ``_recover_to_the_changelog_end``: recovery reads a changelog to the high watermark a
  fetch response gives, not to Tansu's listed end offset (one past the last batch's first
  record). The wrapped ``Recovery._build_highwaters`` is faust's own.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from aiokafka import TopicPartition

from worker.app import _fetch_within_one_assignment

TP_A = TopicPartition("articles", 0)
TP_B = TopicPartition("by-event", 2)


@dataclass
class Record:
    offset: int


@dataclass
class FakeSubscriptions:
    assignment: object = field(default_factory=object)

    @property
    def subscription(self) -> Any:
        return SimpleNamespace(assignment=self.assignment)

    @contextlib.contextmanager
    def fetch_context(self) -> Iterator[None]:
        yield


class FakeConsumer:
    """What faust's ``_fetch_records`` and the guard touch of an ``AIOKafkaConsumer``."""

    def __init__(self, records: dict[TopicPartition, list[Record]], rebalance: bool) -> None:
        self._closed = False
        self._coordinator = SimpleNamespace(generation=0)
        self._subscription = FakeSubscriptions()
        self.seeks: list[tuple[TopicPartition, int]] = []
        consumer = self

        async def fetched_records(partitions: Any, timeout: Any = 0, max_records: Any = None) -> Any:
            if rebalance:  # aiokafka waits for the new assignment, then drains it
                consumer._coordinator.generation = 1
                consumer._subscription.assignment = object()
            return records

        self._fetcher = SimpleNamespace(
            _closed=False, _subscriptions=self._subscription, fetched_records=fetched_records
        )

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.seeks.append((tp, offset))


def fetch(consumer: FakeConsumer) -> Any:
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    _fetch_within_one_assignment()
    thread = SimpleNamespace(consumer=SimpleNamespace(flow_active=True))
    return asyncio.run(AIOKafkaConsumerThread._fetch_records(thread, consumer, {TP_A, TP_B}, timeout=1.0))  # type: ignore[arg-type]


def test_records_of_the_assignment_the_fetch_was_asked_in_are_returned() -> None:
    records = {TP_A: [Record(5), Record(6)], TP_B: [Record(9)]}
    consumer = FakeConsumer(records, rebalance=False)
    assert fetch(consumer) == records
    assert consumer.seeks == []


def test_records_drained_after_a_rebalance_are_handed_back() -> None:
    consumer = FakeConsumer({TP_A: [Record(109), Record(110)], TP_B: [Record(22)]}, rebalance=True)
    assert fetch(consumer) == {}
    # every drained partition is rewound to its first drained record: fetched again
    assert sorted(consumer.seeks) == sorted([(TP_A, 109), (TP_B, 22)])


def test_a_new_assignment_in_the_same_generation_is_a_rebalance_too() -> None:
    consumer = FakeConsumer({TP_A: [Record(3)]}, rebalance=False)

    async def fetched_records(partitions: Any, timeout: Any = 0, max_records: Any = None) -> Any:
        consumer._subscription.assignment = object()
        return {TP_A: [Record(3)]}

    consumer._fetcher.fetched_records = fetched_records
    assert fetch(consumer) == {}
    assert consumer.seeks == [(TP_A, 3)]


def test_the_guard_is_installed_once() -> None:
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    _fetch_within_one_assignment()
    wrapped = AIOKafkaConsumerThread._fetch_records
    _fetch_within_one_assignment()
    assert AIOKafkaConsumerThread._fetch_records is wrapped


# ---------------------------------------------------------------- recovery to the end


class FakeRecoveryConsumer:
    """``highwaters`` lists Tansu's end offsets; ``highwater`` is a fetch response's."""

    def __init__(self, listed: dict[TopicPartition, int], fetched: dict[TopicPartition, int | None]) -> None:
        self.listed, self.fetched = listed, fetched

    async def highwaters(self, *tps: TopicPartition) -> dict[TopicPartition, int]:
        return {tp: self.listed[tp] for tp in tps}

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.fetched[tp]


def build_highwaters(consumer: FakeRecoveryConsumer, tps: set[TopicPartition]) -> dict[TopicPartition, int]:
    import logging
    from collections import Counter

    from faust.tables.recovery import Recovery

    from worker.app import _recover_to_the_changelog_end

    _recover_to_the_changelog_end()
    recovery = SimpleNamespace(log=logging.getLogger("test"), _highwater_logtable=lambda *a, **k: "")
    destination: Counter[TopicPartition] = Counter()
    asyncio.run(Recovery._build_highwaters(recovery, consumer, tps, destination, "active"))  # type: ignore[arg-type]
    return dict(destination)


def test_recovery_reads_past_tansus_listed_end_to_the_fetched_high_watermark() -> None:
    # 15 records in batches of 5, 7 and 3: Tansu lists 13, a fetch response says 15
    consumer = FakeRecoveryConsumer({TP_A: 13, TP_B: 8}, {TP_A: 15, TP_B: 8})
    assert build_highwaters(consumer, {TP_A, TP_B}) == {TP_A: 14, TP_B: 7}  # last offsets


def test_recovery_keeps_the_listed_end_when_no_fetch_response_came(monkeypatch: Any) -> None:
    import worker.app

    monkeypatch.setattr(worker.app, "CHANGELOG_END_WAIT_S", 0.05)
    consumer = FakeRecoveryConsumer({TP_A: 13}, {TP_A: None})
    assert build_highwaters(consumer, {TP_A}) == {TP_A: 12}
