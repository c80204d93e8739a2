{{ config(severity='warn') }}
-- A termination date before the hire date is an HR data error: such a person is placed
-- in no month and costs nothing. Returns each employee affected.

select employee_key, hired_on, terminated_on
from {{ ref('stg_hr__employees') }}
where terminated_on < hired_on
