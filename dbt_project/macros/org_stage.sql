{#-
    The organisation stage of METRICS.md from a count of product managers: 0-1 PM stage
    0, 2-4 stage 1, 5-8 stage 2, 9-12 stage 3, more (with a CPO) stage 4. Stage 5,
    several product lines each with its own product leadership, is a company-level
    judgement made in fct_org_shape.
-#}
{% macro org_stage(pm_count) -%}
    case
        when {{ pm_count }} <= 1 then 0
        when {{ pm_count }} <= 4 then 1
        when {{ pm_count }} <= 8 then 2
        when {{ pm_count }} <= 12 then 3
        else 4
    end
{%- endmacro %}
