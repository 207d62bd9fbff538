"""Limits on what one GraphQL request may ask for, checked while the document is validated
(graphql-core validation rules added through strawberry's `AddValidationRules`), so a refused
request runs no resolver and reads nothing.

- **Cost**: every field selected costs 1, times the number of items its list is expected to
  hold: a connection `first`/`last` items (or the schema's page maximum when neither is given),
  any other list of objects `GRAPHQL_COST_LIST_SIZE`; nested lists multiply. A document over
  `GRAPHQL_MAX_COST` is refused with the code `query_too_costly`. Operations costing at least
  `GRAPHQL_EXPENSIVE_COST` count against a per-client limit (`GRAPHQL_EXPENSIVE_PER_MINUTE`,
  counted in PostgreSQL by the shared rate limiter), answered with `rate_limited`.
- **Input bounds**: string arguments and variables hold no NUL character and at most
  `GRAPHQL_MAX_STRING_CHARS` characters (arguments in `LARGE_STRING_ARGUMENTS` are bounded by
  the body size instead), lists and objects at most `GRAPHQL_MAX_INPUT_ITEMS` entries and
  nest at most `GRAPHQL_MAX_INPUT_DEPTH` levels, dates and times lie in DATE_YEARS; code
  `invalid_input`.

Depth, alias and token limits are strawberry's own (`core.extensions`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
)
from graphql.language import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
)
from graphql.utilities import type_from_ast
from graphql.validation import ValidationContext, ValidationRule
from strawberry.extensions import AddValidationRules
from strawberry.types import ExecutionResult

from portalwerk.platform import ratelimits
from portalwerk.platform.client import client_ip

QUERY_TOO_COSTLY = "query_too_costly"
INVALID_INPUT = "invalid_input"
RATE_LIMITED = "rate_limited"
OPERATION_NAME_REQUIRED = "operation_name_required"

#: arguments whose strings may be long (a base64 file); the request body limit bounds them
LARGE_STRING_ARGUMENTS = frozenset({"contentBase64"})
PAGE_ARGUMENTS = ("first", "last")
DATE_SCALARS = frozenset({"Date", "DateTime"})
#: no appointment, payment or birth lies outside these; Python's date arithmetic ends at 9999
DATE_YEARS = (1900, 2199)


def refusal(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


# -- cost ---------------------------------------------------------------------------------------


def _list_of_objects(type_) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList) and not is_leaf_type(get_named_type(type_))


def _is_connection(type_) -> bool:
    named = get_named_type(type_)
    return isinstance(named, GraphQLObjectType) and "edges" in named.fields


class Cost:
    """The estimated cost of one operation; `variables` give `first: $n` its value."""

    def __init__(self, context: ValidationContext, variables: Mapping[str, Any]) -> None:
        self.context = context
        self.variables = variables
        self.page_size = settings.GRAPHQL_DEFAULT_PAGE_SIZE
        self.list_size = settings.GRAPHQL_COST_LIST_SIZE

    def of_operation(self, operation: OperationDefinitionNode) -> int:
        root = self.context.schema.get_root_type(operation.operation)
        return self._selections(operation.selection_set, root, set(), in_connection=False)

    def _page(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value not in PAGE_ARGUMENTS:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(0, int(value.value))
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                if isinstance(given, int) and not isinstance(given, bool):
                    return max(0, given)
        return self.page_size

    def _selections(
        self, selection_set: SelectionSetNode | None, parent, fragments: set, *, in_connection
    ) -> int:
        if selection_set is None or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, fragments, in_connection=in_connection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.context.schema.get_type(condition.name.value) if condition else parent
                total += self._selections(
                    selection.selection_set, target, fragments, in_connection=in_connection
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in fragments:  # unknown or a cycle: a rule reports it
                    continue
                target = self.context.schema.get_type(fragment.type_condition.name.value)
                total += self._selections(
                    fragment.selection_set, target, fragments | {name}, in_connection=in_connection
                )
        return total

    def _field(self, node: FieldNode, parent, fragments: set, *, in_connection: bool) -> int:
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 1  # __typename and unknown fields (reported by another rule)
        connection = _is_connection(definition.type)
        if connection:
            items = self._page(node)
        elif _list_of_objects(definition.type) and not (
            in_connection and node.name.value == "edges"
        ):
            items = self.list_size  # a connection's edges are already counted by its page
        else:
            items = 1
        inner = self._selections(
            node.selection_set,
            get_named_type(definition.type),
            fragments,
            in_connection=connection,
        )
        return items * (1 + inner)


def expanded_fields(document: DocumentNode, limit: int) -> int:
    """How many fields the document selects once every fragment spread is replaced by its
    fragment, counted with each fragment's size worked out once (a fragment spread twice in
    each of a chain of fragments doubles per link: 190 links fit in the token limit). Stops
    counting past `limit`. The validation rules (cost, depth, field merging) walk the expanded
    document, so a document this large is refused before they run."""
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    sizes: dict[str, int] = {}

    def size(selection_set: SelectionSetNode | None, open_fragments: frozenset) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += 1 + size(selection.selection_set, open_fragments)
            elif isinstance(selection, InlineFragmentNode):
                total += size(selection.selection_set, open_fragments)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in open_fragments or name not in fragments:
                    continue  # a cycle or an unknown fragment: a validation rule reports it
                if name not in sizes:
                    sizes[name] = size(fragments[name].selection_set, open_fragments | {name})
                total += sizes[name]
            if total > limit:
                return total
        return total

    total = 0
    for node in document.definitions:
        if isinstance(node, OperationDefinitionNode):
            total += size(node.selection_set, frozenset())
            if total > limit:
                break
    return total


def expansion_refusal(document: DocumentNode) -> GraphQLError | None:
    limit = settings.GRAPHQL_MAX_COST
    fields = expanded_fields(document, limit)
    if fields <= limit:
        return None
    return refusal(
        gettext(
            "This query selects too many fields once its fragments are filled in (more than "
            "%(limit)s). Use fewer fragments or fewer fields."
        )
        % {"limit": limit},
        QUERY_TOO_COSTLY,
    )


def cost_rule(limiter: CostLimiter) -> type[ValidationRule]:
    class CostRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:
            cost = Cost(self.context, limiter.variables).of_operation(node)
            limiter.costs.append(cost)
            limit = settings.GRAPHQL_MAX_COST
            if cost > limit:
                self.report_error(
                    GraphQLError(
                        gettext(
                            "This query asks for too much at once (estimated cost %(cost)s, "
                            "at most %(limit)s). Ask for fewer items per list (first), fewer "
                            "fields or fewer aliases."
                        )
                        % {"cost": cost, "limit": limit},
                        nodes=[node],
                        extensions={"code": QUERY_TOO_COSTLY, "cost": cost, "maxCost": limit},
                    )
                )

    return CostRule


class CostLimiter(AddValidationRules):
    """Refuses documents over the cost limit; counts expensive ones per client."""

    def __init__(self) -> None:
        self.costs: list[int] = []
        self.variables: Mapping[str, Any] = {}
        super().__init__([cost_rule(self)])

    def on_operation(self) -> Iterator[None]:
        variables = self.execution_context.variables
        self.variables = variables if isinstance(variables, Mapping) else {}
        yield from super().on_operation()

    def on_execute(self) -> Iterator[None]:
        limited = self._over_expensive_limit()
        if limited is not None:
            # strawberry runs no resolver when a result is already set
            self.execution_context.result = ExecutionResult(data=None, errors=[limited])
        yield

    def _over_expensive_limit(self) -> GraphQLError | None:
        allowed = settings.GRAPHQL_EXPENSIVE_PER_MINUTE
        if not allowed or max(self.costs, default=0) < settings.GRAPHQL_EXPENSIVE_COST:
            return None
        request = getattr(self.execution_context.context, "request", None)
        hit = ratelimits.hit(
            "graphql-expensive-ip", client_ip(request), allowed=allowed, window_seconds=60
        )
        if hit is None:
            return None
        return GraphQLError(
            gettext(
                "Too many large queries from your connection. Try again in %(seconds)s seconds, "
                "or ask for fewer items at once."
            )
            % {"seconds": hit.retry_after},
            extensions={"code": RATE_LIMITED, "retryAfter": hit.retry_after},
        )


# -- input bounds -------------------------------------------------------------------------------


def _string_problem(value: str) -> str | None:
    if "\x00" in value:
        return gettext("Text must not contain NUL characters.")
    limit = settings.GRAPHQL_MAX_STRING_CHARS
    if len(value) > limit:
        return gettext("A text is longer than %(limit)s characters.") % {"limit": limit}
    return None


def _value_problem(value: Any, *, long_strings: bool) -> str | None:
    """The first problem of a variable's value; iterative, so any depth of JSON is safe."""
    max_items = settings.GRAPHQL_MAX_INPUT_ITEMS
    max_depth = settings.GRAPHQL_MAX_INPUT_DEPTH
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if long_strings and "\x00" not in item:
                continue
            problem = _string_problem(item)
            if problem:
                return problem
        elif isinstance(item, Mapping | list):
            if depth > max_depth:
                return gettext("An input is nested more than %(limit)s levels deep.") % {
                    "limit": max_depth
                }
            if len(item) > max_items:
                return gettext("An input holds more than %(limit)s entries.") % {"limit": max_items}
            children = list(item.items()) if isinstance(item, Mapping) else item
            for child in children:
                if isinstance(child, tuple):
                    stack.append((child[0], depth + 1))
                    stack.append((child[1], depth + 1))
                else:
                    stack.append((child, depth + 1))
    return None


def _year(text: str, type_name: str) -> int | None:
    try:
        if type_name == "Date":
            return dt.date.fromisoformat(text).year
        return dt.datetime.fromisoformat(text).year
    except ValueError:
        return None  # not a date at all: the scalar's own parsing says so


def _date_problem(value: Any, type_) -> str | None:
    """A Date or DateTime (at any depth of lists and input objects) outside DATE_YEARS."""
    type_ = get_nullable_type(type_)
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, list) else [value]
        return next((p for i in items if (p := _date_problem(i, type_.of_type))), None)
    if isinstance(type_, GraphQLInputObjectType) and isinstance(value, Mapping):
        fields = type_.fields
        return next(
            (
                p
                for name, item in value.items()
                if name in fields and (p := _date_problem(item, fields[name].type))
            ),
            None,
        )
    if getattr(type_, "name", None) in DATE_SCALARS and isinstance(value, str):
        year = _year(value, type_.name)
        if year is not None and not DATE_YEARS[0] <= year <= DATE_YEARS[1]:
            return gettext("Choose a date between the years %(first)s and %(last)s.") % {
                "first": DATE_YEARS[0],
                "last": DATE_YEARS[1],
            }
    return None


def input_rule(limiter: InputBounds) -> type[ValidationRule]:
    class InputRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.argument: str | None = None
            self.long_variables: set[str] = set()
            self.reported = False

        def report(self, message: str, node) -> None:
            if not self.reported:  # one error says enough; thousands would cost time again
                self.reported = True
                self.report_error(
                    GraphQLError(message, nodes=[node], extensions={"code": INVALID_INPUT})
                )

        def enter_argument(self, node: ArgumentNode, *_args) -> None:
            self.argument = node.name.value

        def leave_argument(self, node: ArgumentNode, *_args) -> None:
            self.argument = None

        def enter_variable(self, node: VariableNode, *_args) -> None:
            if self.argument in LARGE_STRING_ARGUMENTS:
                self.long_variables.add(node.name.value)

        def enter_string_value(self, node: StringValueNode, *_args) -> None:
            if self.argument in LARGE_STRING_ARGUMENTS and "\x00" not in node.value:
                return
            problem = _string_problem(node.value) or _date_problem(
                node.value, self.context.get_input_type()
            )
            if problem:
                self.report(problem, node)

        def enter_list_value(self, node: ListValueNode, *_args) -> None:
            self._count(node, len(node.values))

        def enter_object_value(self, node: ObjectValueNode, *_args) -> None:
            self._count(node, len(node.fields))

        def _count(self, node, count: int) -> None:
            limit = settings.GRAPHQL_MAX_INPUT_ITEMS
            if count > limit:
                self.report(
                    gettext("An input holds more than %(limit)s entries.") % {"limit": limit}, node
                )

        def leave_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:
            for definition in node.variable_definitions or ():
                name = definition.variable.name.value
                if name not in limiter.variables:
                    continue
                value = limiter.variables[name]
                problem = _value_problem(value, long_strings=name in self.long_variables)
                variable_type = type_from_ast(self.context.schema, definition.type)
                if problem is None and variable_type is not None:
                    problem = _date_problem(value, variable_type)
                if problem:
                    self.report(problem, definition)

    return InputRule


class InputBounds(AddValidationRules):
    """Refuses NUL characters, over-long strings and over-large lists in arguments and
    variables before any resolver sees them."""

    def __init__(self) -> None:
        self.variables: Mapping[str, Any] = {}
        super().__init__([input_rule(self)])

    def on_operation(self) -> Iterator[None]:
        variables = self.execution_context.variables
        self.variables = variables if isinstance(variables, Mapping) else {}
        yield from super().on_operation()


# -- one operation per request ----------------------------------------------------------------


class OperationNameRequired(AddValidationRules):
    """A document with several operations runs only the one named in `operationName`; without
    a name it is refused, rather than guessing which one was meant."""

    def __init__(self) -> None:
        extension = self

        class OperationNameRule(ValidationRule):
            def enter_document(self, node: DocumentNode, *_args) -> None:
                operations = [d for d in node.definitions if isinstance(d, OperationDefinitionNode)]
                # strawberry's `operation_name` falls back to the first operation's name
                given = getattr(extension.execution_context, "_provided_operation_name", None)
                if len(operations) > 1 and not given:
                    self.report_error(
                        GraphQLError(
                            gettext(
                                "The document holds several operations: name the one to run "
                                "in operationName."
                            ),
                            nodes=operations,
                            extensions={"code": OPERATION_NAME_REQUIRED},
                        )
                    )

        super().__init__([OperationNameRule])
