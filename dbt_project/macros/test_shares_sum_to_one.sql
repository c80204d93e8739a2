{#-
    Fails for every group (the `group_by` columns) whose `column` does not sum to 1
    within `tolerance` (published shares are rounded, so a few millionths may be off).
    Groups whose shares are all null (nothing to share) are not checked.
-#}
{% test shares_sum_to_one(model, column_name, group_by, tolerance=0.0001) %}
    {%- set groups_csv = group_by | join(', ') %}
    select {{ groups_csv }}, sum({{ column_name }}) as total_share
    from {{ model }}
    group by {{ groups_csv }}
    having count({{ column_name }}) > 0
        and abs(sum({{ column_name }}) - 1) > {{ tolerance }}
{% endtest %}
