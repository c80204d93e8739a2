{#-
    What a Jira status means to productops: the catalog's meaning when it maps the status,
    else Jira's own status category translated to the same vocabulary (a status the
    catalog forgot still counts as Jira classifies it), else 'unmapped'; null when there
    is no status at all. Arguments are SQL expressions.
-#}
{% macro jira_status_meaning(catalog_meaning, jira_category, status_name) -%}
    case
        when {{ status_name }} is null then null
        when {{ catalog_meaning }} is not null then {{ catalog_meaning }}
        when {{ jira_category }} = 'new' then 'new'
        when {{ jira_category }} = 'indeterminate' then 'in_progress'
        when {{ jira_category }} = 'done' then 'done'
        else 'unmapped'
    end
{%- endmacro %}
