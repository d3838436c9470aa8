import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import type { Job } from '../../api/types';
import { JobTypeLabel } from './JobTypeLabel';

export function JobLink({ job }: { job: Job }) {
  return (
    <Anchor component={Link} to={`/jobs/${job.id}`} underline="never" c="inherit" style={{ display: 'block', minWidth: 0 }}>
      <JobTypeLabel type={job.type} sub={job.id} />
    </Anchor>
  );
}
