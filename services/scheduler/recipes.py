"""The `recipes` collection: recorded runs a later task of the same shape replays without the
model (services/browser/replay.py). One recipe per business + site + template; every read
and write names the business. A recipe that diverged `max_divergences` times in a row is
retired: no longer matched, still listed (retired: true) until deleted or replaced."""
import hashlib
import logging

import pymongo
from google.protobuf import json_format

from services.common import ids, mongo, recipes
from services.common.records import timestamp
from stablebrowse.events.v1 import events_pb2
from stablebrowse.tasks.v1 import tasks_pb2

log = logging.getLogger(__name__)

RECIPES = "recipes"
MAX_PER_SITE = 200  # recipes of one business and site tried against a task


async def ensure_indexes(db) -> None:
    await db[RECIPES].create_index([("business_id", pymongo.ASCENDING), ("site", pymongo.ASCENDING)])


def recipe_id(business_id: str, site: str, template: str) -> str:
    return hashlib.sha256(f"{business_id}\0{site}\0{template}".encode()).hexdigest()[:32]


async def store(db, business_id: str, recipe: tasks_pb2.Recipe) -> str:
    """Records (or replaces: same business, site and template) a recipe; its divergences start at 0."""
    key = recipe_id(business_id, recipe.site, recipe.template)
    body = json_format.MessageToDict(recipe, preserving_proto_field_name=True)
    for kept in ("recipe_id", "replays", "divergences", "retired", "created_at", "updated_at"):
        body.pop(kept, None)
    now = ids.now()
    await mongo.durable(db, RECIPES).update_one(
        {"_id": key, "business_id": business_id},
        {"$set": {**body, "divergences": 0, "updated_at": now},
         "$setOnInsert": {"business_id": business_id, "created_at": now, "replays": 0}},
        upsert=True)
    return key


async def apply_outcome(db, business_id: str, outcome: events_pb2.TaskCompleted | events_pb2.TaskFailed) -> None:
    """What a task's end says about recipes: its replay went through or diverged; a completed
    grounded run brings a recipe (which replaces the one that diverged, if it has the same key)."""
    if outcome.HasField("replay") and outcome.replay.recipe_id:
        mine = {"_id": outcome.replay.recipe_id, "business_id": business_id}
        failed = outcome.replay.diverged or isinstance(outcome, events_pb2.TaskFailed)  # a failed replay is no success
        change = {"$inc": {"divergences": 1}} if failed else {
            "$set": {"divergences": 0}, "$inc": {"replays": 1}}
        await db[RECIPES].update_one(mine, change)
    if isinstance(outcome, events_pb2.TaskCompleted) and outcome.HasField("recipe"):
        if outcome.verification.grounded:
            key = await store(db, business_id, outcome.recipe)
            log.info("recipe recorded", extra={"business_id": business_id, "recipe_id": key})


def to_proto(doc: dict, max_divergences: int) -> tasks_pb2.Recipe:
    fields = {k: v for k, v in doc.items() if k in tasks_pb2.Recipe.DESCRIPTOR.fields_by_name
              and k not in ("created_at", "updated_at")}
    recipe = json_format.ParseDict(fields, tasks_pb2.Recipe(), ignore_unknown_fields=True)
    recipe.recipe_id = doc["_id"]
    recipe.created_at.CopyFrom(timestamp(doc["created_at"]))
    recipe.updated_at.CopyFrom(timestamp(doc["updated_at"]))
    if doc.get("divergences", 0) >= max_divergences:
        recipe.retired = True
    return recipe


async def listed(db, business_id: str, max_divergences: int) -> list[tasks_pb2.Recipe]:
    docs = await db[RECIPES].find({"business_id": business_id}).sort("updated_at", -1).to_list(1000)
    return [to_proto(d, max_divergences) for d in docs]


async def delete(db, business_id: str, key: str) -> bool:
    return (await mongo.durable(db, RECIPES).delete_one({"_id": key, "business_id": business_id})).deleted_count == 1


async def match(db, doc: dict, max_divergences: int) -> tasks_pb2.Recipe | None:
    """The one live recipe of the task's business and start site whose template reads the task
    exactly, all parameters bound, and whose start page is the task's. None when unsure."""
    if not doc.get("start_url") or doc.get("replay") is False:
        return None
    if doc.get("previous_context") or doc.get("previous_error"):
        return None  # a later turn of a session may lean on the earlier ones: the agent reads them
    site = recipes.site_of(doc["start_url"])
    found = await db[RECIPES].find({"business_id": doc["business_id"], "site": site,
                                    "divergences": {"$lt": max_divergences}}).to_list(MAX_PER_SITE)
    fits = []
    for candidate in found:
        params = recipes.bind(candidate["template"], doc["task"])
        if params is not None and recipes.starts_at(candidate["start_url"], params, doc["start_url"]):
            fits.append(candidate)
    return to_proto(fits[0], max_divergences) if len(fits) == 1 else None
