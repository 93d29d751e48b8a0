"""A change of the hashrate unit carries the recorded statistics over to the new unit.

Home Assistant converts statistics only between the units of its own unit classes, and has no
class for hashrates: left alone, it would stop compiling the statistics of every hashrate sensor
and raise a repair for each. Before the sensors come back in the new unit, the hourly long-term
statistics recorded in another hashrate unit are rescaled and imported again under the new unit
(the 5-minute ones, which the recorder keeps for some days only, go).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from homeassistant.components.recorder.models import StatisticData, StatisticMetaData
from homeassistant.components.recorder.statistics import (
    async_import_statistics,
    get_metadata,
    statistics_during_period,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.recorder import get_instance

from .const import HASHRATE_UNITS

_LOGGER = logging.getLogger(__name__)

RECORDER = "recorder"
SINCE_EVER = datetime.fromtimestamp(0, UTC)


async def async_carry_over(hass: HomeAssistant, entry_id: str, unit: str) -> None:
    """Rescale to ``unit`` what the entry's sensors recorded in another hashrate unit."""
    if RECORDER not in hass.config.components:
        return
    # The registry remembers the unit each sensor last had: only a sensor whose unit changes
    # can have statistics in another one, and most set-ups ask the database nothing.
    sensors = {
        registered.entity_id
        for registered in er.async_entries_for_config_entry(er.async_get(hass), entry_id)
        if registered.domain == Platform.SENSOR
        and registered.unit_of_measurement in HASHRATE_UNITS
        and registered.unit_of_measurement != unit
    }
    if not sensors:
        return
    recorder = get_instance(hass)
    metadata = await recorder.async_add_executor_job(
        lambda: get_metadata(hass, statistic_ids=sensors)
    )
    stale = {
        statistic_id: meta
        for statistic_id, (_, meta) in metadata.items()
        if meta["unit_of_measurement"] in HASHRATE_UNITS and meta["unit_of_measurement"] != unit
    }
    if not stale:
        return
    rows = await recorder.async_add_executor_job(
        lambda: statistics_during_period(
            hass, SINCE_EVER, None, set(stale), "hour", None, {"mean", "min", "max"}
        )
    )
    recorder.async_clear_statistics(list(stale))
    for statistic_id, meta in stale.items():
        factor = HASHRATE_UNITS[str(meta["unit_of_measurement"])] / HASHRATE_UNITS[unit]
        async_import_statistics(
            hass,
            StatisticMetaData(
                mean_type=meta["mean_type"],
                has_sum=meta["has_sum"],
                name=meta["name"],
                source=RECORDER,
                statistic_id=statistic_id,
                unit_class=None,
                unit_of_measurement=unit,
            ),
            [_rescaled(row, factor) for row in rows.get(statistic_id, [])],
        )
    _LOGGER.info("The statistics of %d hashrate sensors were converted to %s", len(stale), unit)


def _rescaled(row: Any, factor: float) -> StatisticData:
    """An hourly row of statistics in the new unit."""
    data = StatisticData(start=datetime.fromtimestamp(row["start"], UTC))
    for field in ("mean", "min", "max"):
        if (value := row.get(field)) is not None:
            data[field] = value * factor
    return data
