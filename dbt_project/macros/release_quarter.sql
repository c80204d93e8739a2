{#-
    A roadmap release named for its quarter ('2025 Q1', '2025-Q1', '2025 q1') as the
    'YYYY-Qn' label quarters carry everywhere else; a release named otherwise keeps its
    name, so nothing silently becomes a wrong quarter.
-#}
{% macro release_quarter(release_name) -%}
    case
        when upper(replace(replace({{ release_name }}, ' ', ''), '-', '')) like '____Q_'
            then {{ dbt.concat([
                "substring(trim(" ~ release_name ~ "), 1, 4)",
                "'-Q'",
                dbt.right("trim(" ~ release_name ~ ")", "1")
            ]) }}
        else {{ release_name }}
    end
{%- endmacro %}
{#- substring(x, 1, 4) and replace() are supported by every target warehouse. -#}
