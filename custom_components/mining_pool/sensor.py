"""Sensors of a pool account: hashrates, earnings, payments and worker counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Context, Decimal
from enum import StrEnum
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .account import hashrate_unit
from .api import AccountSnapshot, Capability, Worker, WorkerStatus
from .const import HASHRATE_UNITS
from .coordinator import DataKind, MiningPoolConfigEntry, MiningPoolCoordinator
from .entity import MiningPoolEntity, MiningPoolWorkerEntity, add_worker_entities
from .workers import WorkerBook

PARALLEL_UPDATES = 0

# An amount is shown to its coin's smallest unit, or to 8 decimals where that unit is finer
# (ETC's 18 decimals say nothing a user reads, and a pool's floats carry dust down there).
COIN_DECIMALS = 8
COIN_DECIMALS_BY_TICKER = {"HNS": 6, "ALEO": 6, "NEXA": 2}
# A hashrate reads like a pool's dashboard: 1,140 TH/s, 1.14 PH/s, 0.0114 EH/s.
HASHRATE_DIGITS = 3


class ValueKind(StrEnum):
    """How a description's value is shown: as it is, as a hashrate, or in the account's coin."""

    PLAIN = "plain"
    HASHRATE = "hashrate"
    COIN = "coin"


@dataclass(frozen=True, kw_only=True)
class MiningPoolSensorEntityDescription(SensorEntityDescription):
    """A sensor of a pool account; it exists where the account provides its value."""

    value_fn: Callable[[AccountSnapshot], float | int | Decimal | datetime | None]
    data: DataKind
    needs: Capability
    value_kind: str = ValueKind.PLAIN


def _hashrate(
    key: str, value_fn: Callable[[AccountSnapshot], float | None], **kwargs: object
) -> MiningPoolSensorEntityDescription:
    return MiningPoolSensorEntityDescription(
        key=key,
        translation_key=key,
        value_fn=value_fn,
        data=DataKind.ACTIVITY,
        needs=Capability(key),
        value_kind=ValueKind.HASHRATE,
        state_class=SensorStateClass.MEASUREMENT,
        **kwargs,  # type: ignore[arg-type]
    )


def _coin(
    key: str,
    value_fn: Callable[[AccountSnapshot], Decimal | None],
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT,
    **kwargs: object,
) -> MiningPoolSensorEntityDescription:
    return MiningPoolSensorEntityDescription(
        key=key,
        translation_key=key,
        value_fn=value_fn,
        data=DataKind.EARNINGS,
        needs=Capability(key),
        value_kind=ValueKind.COIN,
        state_class=state_class,
        **kwargs,  # type: ignore[arg-type]
    )


def _workers(
    key: str, value_fn: Callable[[AccountSnapshot], int | None], **kwargs: object
) -> MiningPoolSensorEntityDescription:
    return MiningPoolSensorEntityDescription(
        key=key,
        translation_key=key,
        value_fn=value_fn,
        data=DataKind.ACTIVITY,
        needs=Capability(key),
        state_class=SensorStateClass.MEASUREMENT,
        **kwargs,  # type: ignore[arg-type]
    )


SENSORS: tuple[MiningPoolSensorEntityDescription, ...] = (
    _hashrate("hashrate", lambda data: data.hashrate.current),
    _hashrate("hashrate_last_hour", lambda data: data.hashrate.last_hour),
    _hashrate("hashrate_last_day", lambda data: data.hashrate.last_day),
    _hashrate(
        "hashrate_yesterday",
        lambda data: data.hashrate.yesterday,
        entity_registry_enabled_default=False,
    ),
    _hashrate(
        "stale_hashrate_last_hour",
        lambda data: data.hashrate.stale_last_hour,
        entity_registry_enabled_default=False,
    ),
    _hashrate(
        "stale_hashrate_last_day",
        lambda data: data.hashrate.stale_last_day,
        entity_registry_enabled_default=False,
    ),
    # A level that falls at every payout: its value matters, not its net change (no "total").
    _coin("balance", lambda data: data.earnings.balance),
    _coin(
        "total_paid",
        lambda data: data.earnings.total_paid,
        state_class=SensorStateClass.TOTAL_INCREASING,
    ),
    _coin(
        "pending_payouts",
        lambda data: data.earnings.pending_payouts,
        entity_registry_enabled_default=False,
    ),
    # An estimate of the day so far: it can fall, and drops to zero at midnight (no sum).
    _coin("earnings_today", lambda data: data.earnings.earnings_today),
    _coin(
        "earnings_yesterday",
        lambda data: data.earnings.earnings_yesterday,
        # A closed past day, not a running total. Kept a measurement rather than given no state
        # class: removing it would leave 0.1.0 installs a lasting repair to delete their
        # statistics, where a measurement continues them.
    ),
    # A rolling 24-hour window up to now, like the 24-hour hashrate: a measurement.
    _coin(
        "earnings_last_day",
        lambda data: data.earnings.earnings_last_day,
    ),
    _coin(
        "total_revenue",
        lambda data: data.earnings.total_revenue,
        state_class=SensorStateClass.TOTAL_INCREASING,
    ),
    # What the pool expects to pay for the block being mined now: a level.
    _coin("estimated_reward", lambda data: data.earnings.estimated_reward),
    MiningPoolSensorEntityDescription(
        key="last_payment",
        translation_key="last_payment",
        value_fn=lambda data: data.earnings.last_payment_time,
        data=DataKind.EARNINGS,
        needs=Capability.LAST_PAYMENT_TIME,
        device_class=SensorDeviceClass.TIMESTAMP,
    ),
    _workers("workers_active", lambda data: data.worker_counts.active),
    _workers("workers_inactive", lambda data: data.worker_counts.inactive),
    _workers("workers_dead", lambda data: data.worker_counts.dead),
    _workers("workers_low", lambda data: data.worker_counts.low),
    _workers(
        "workers_disabled",
        lambda data: data.worker_counts.disabled,
        entity_registry_enabled_default=False,
    ),
    _workers(
        "workers_total",
        lambda data: data.worker_counts.total,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
)


@dataclass(frozen=True, kw_only=True)
class WorkerSensorEntityDescription(SensorEntityDescription):
    """A sensor of a worker; it exists where the account's workers carry its value."""

    value_fn: Callable[[Worker], float | datetime | str | None]
    needs: Capability
    value_kind: str = ValueKind.PLAIN


def _worker_hashrate(
    key: str, value_fn: Callable[[Worker], float | None]
) -> WorkerSensorEntityDescription:
    """A worker's secondary hashrate, disabled by default."""
    return WorkerSensorEntityDescription(
        key=key,
        translation_key=key,
        value_fn=value_fn,
        needs=Capability(f"worker_{key}"),
        value_kind=ValueKind.HASHRATE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
    )


WORKER_SENSORS: tuple[WorkerSensorEntityDescription, ...] = (
    WorkerSensorEntityDescription(
        key="hashrate",
        translation_key="hashrate",
        value_fn=lambda worker: worker.hashrate,
        needs=Capability.WORKER_HASHRATE,
        value_kind=ValueKind.HASHRATE,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    # What the pool says of the worker: mining, mining below its expected hashrate, offline...
    WorkerSensorEntityDescription(
        key="state",
        translation_key="worker_state",
        value_fn=lambda worker: None
        if worker.status is WorkerStatus.UNKNOWN
        else worker.status.value,
        needs=Capability.WORKER_STATUS,
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in WorkerStatus if status is not WorkerStatus.UNKNOWN],
    ),
    _worker_hashrate("hashrate_last_hour", lambda worker: worker.hashrate_last_hour),
    _worker_hashrate("hashrate_last_day", lambda worker: worker.hashrate_last_day),
    _worker_hashrate("stale_hashrate_last_day", lambda worker: worker.stale_hashrate_last_day),
    _worker_hashrate("hashrate_scoring", lambda worker: worker.hashrate_scoring),
    WorkerSensorEntityDescription(
        key="reject_rate",
        translation_key="reject_rate",
        value_fn=lambda worker: worker.reject_percent,
        needs=Capability.WORKER_REJECT_PERCENT,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
    ),
    WorkerSensorEntityDescription(
        key="last_share",
        translation_key="last_share",
        value_fn=lambda worker: worker.last_share_time,
        needs=Capability.WORKER_LAST_SHARE_TIME,
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
    ),
)
# Home Assistant enables at most 10,000 entities per config entry: past this many workers only
# the online state of each worker is enabled by default.
LARGE_FARM_WORKERS = 2000


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MiningPoolConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the sensors the account's pool provides, and each worker's as workers appear."""
    runtime = entry.runtime_data
    provides = runtime.account.provides
    async_add_entities(
        MiningPoolSensor(entry, runtime.coordinator, description)
        for description in SENSORS
        if description.needs in provides
    )
    worker_sensors = [
        description for description in WORKER_SENSORS if description.needs in provides
    ]
    add_worker_entities(
        entry,
        Platform.SENSOR,
        lambda workers, key: [
            MiningPoolWorkerSensor(entry, runtime.coordinator, workers, description, key)
            for description in worker_sensors
        ],
        async_add_entities,
    )


def significant(value: float, digits: int = HASHRATE_DIGITS) -> str:
    """``value`` to ``digits`` significant digits, written out in full (1140, 1.14, 0.0114)."""
    if value == 0:
        return "0"
    return format(Decimal(f"{value:.{digits}g}"), "f")


def coin_amount(value: Decimal | float, decimals: int) -> str:
    """An exact amount rounded to ``decimals``, written out in full (never 4.04E-9)."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    # Room for every digit of a large amount (the default context holds 28).
    digits = Context(prec=max(exact.adjusted(), 0) + decimals + 1)
    return format(exact.quantize(Decimal(1).scaleb(-decimals), context=digits), "f")


@dataclass(frozen=True, slots=True)
class Presentation:
    """How a kind of value reaches a state: its unit, its number of decimals, its rounding."""

    unit: str | None = None
    decimals: int | None = None
    divisor: float = 1.0
    kind: str = ValueKind.PLAIN

    def state(self, value: Any) -> Any:
        """The value as the state shows it."""
        if value is None:
            return None
        if self.kind == ValueKind.HASHRATE:
            return significant(float(value) / self.divisor)
        if self.kind == ValueKind.COIN and self.decimals is not None:
            return coin_amount(value, self.decimals)
        return value


def _presentation(entry: MiningPoolConfigEntry, value_kind: str) -> Presentation:
    """The fixed unit and rounding of a kind of value of this account."""
    if value_kind == ValueKind.HASHRATE:
        unit = hashrate_unit(entry.data, entry.options)
        return Presentation(unit=unit, divisor=HASHRATE_UNITS[unit], kind=value_kind)
    if value_kind == ValueKind.COIN:
        coin = entry.runtime_data.account.coin
        decimals = COIN_DECIMALS_BY_TICKER.get(coin, COIN_DECIMALS)
        return Presentation(unit=coin, decimals=decimals, kind=value_kind)
    return Presentation()


class MiningPoolSensor(MiningPoolEntity, SensorEntity):
    """A sensor of a pool account."""

    entity_description: MiningPoolSensorEntityDescription

    def __init__(
        self,
        entry: MiningPoolConfigEntry,
        coordinator: MiningPoolCoordinator,
        description: MiningPoolSensorEntityDescription,
    ) -> None:
        """Fix the unit and the rounding once: they never change between polls."""
        super().__init__(entry, coordinator, description)
        self._presentation = _presentation(entry, description.value_kind)
        if self._presentation.unit is not None:
            self._attr_native_unit_of_measurement = self._presentation.unit
        if self._presentation.decimals is not None:
            self._attr_suggested_display_precision = self._presentation.decimals

    @property
    def available(self) -> bool:
        """Earnings are unavailable while their last read failed, even if the rest was read."""
        return super().available and (
            self.entity_description.data is DataKind.ACTIVITY or self.coordinator.earnings_current
        )

    @property
    def native_value(self) -> str | int | datetime | None:
        """The value the pool sent, in the sensor's unit and rounding."""
        description = self.entity_description
        return self._presentation.state(
            description.value_fn(self.coordinator.data.part(description.data))
        )


class MiningPoolWorkerSensor(MiningPoolWorkerEntity, SensorEntity):
    """A sensor of one worker."""

    entity_description: WorkerSensorEntityDescription

    def __init__(
        self,
        entry: MiningPoolConfigEntry,
        coordinator: MiningPoolCoordinator,
        workers: WorkerBook,
        description: WorkerSensorEntityDescription,
        key: str,
    ) -> None:
        """Fix the unit once, like the account's sensors."""
        super().__init__(entry, coordinator, workers, description, key)
        if len(workers.views) > LARGE_FARM_WORKERS:
            self._attr_entity_registry_enabled_default = False
        self._presentation = _presentation(entry, description.value_kind)
        if self._presentation.unit is not None:
            self._attr_native_unit_of_measurement = self._presentation.unit

    @property
    def native_value(self) -> float | datetime | str | None:
        """The worker's value; unknown while the pool does not list the worker."""
        view = self.view
        if view is None:
            return None
        description = self.entity_description
        return self._presentation.state(description.value_fn(view.worker))
