{{ config(materialized='table') }}
-- depends_on: {{ ref('int_issue_person_days') }}
-- One row: the newest source_loaded_at of the status and assignee intervals when
-- int_issue_person_days last finished a build, i.e. the interval landings it has
-- compared its days with. Its next build compares only the issues whose intervals were
-- rebuilt after this (macros/incremental_windows.sql, person_days_compared_until).
--
-- The person-days' own newest source_loaded_at is not enough: a build that finds no
-- differing day writes no row, so after a whole re-landing (every interval stamped
-- anew, no day changed) it stayed behind and every later build compared all 1.4M
-- issues at scale m (5.4-5.9 s instead of 1.2 s) until some issue's days changed.
-- Built after int_issue_person_days, so a build of it that fails advances nothing.

select max(source_loaded_at) as source_loaded_at
from (
    select max(source_loaded_at) as source_loaded_at
    from {{ ref('int_issue_status_intervals') }}
    union all
    select max(source_loaded_at) from {{ ref('int_issue_assignee_intervals') }}
) as newest
